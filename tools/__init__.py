"""The modules behind the invoke tasks in tasks.py.

Importing this package puts plugins/ on sys.path, as Pelican's PLUGIN_PATHS
does for a build, so that every module here (and deploy/, which imports
these) may import the content schema at its top.
"""

from pathlib import Path
import sys

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
