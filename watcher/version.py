"""Version of the installed watcher package."""
import pbr.version

version_info = pbr.version.VersionInfo('python-watcher')


def version_string():
    try:
        return version_info.version_string()
    except Exception:  # not installed (source tree without metadata)
        return '0.0.0'
