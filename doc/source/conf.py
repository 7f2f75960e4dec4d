# Sphinx configuration of the watcher documentation.
project = 'watcher'
copyright = 'The watcher developers'
extensions = []
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
