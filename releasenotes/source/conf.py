# Sphinx configuration of the release notes (reno).
project = 'watcher release notes'
extensions = ['reno.sphinxext']
master_doc = 'index'
