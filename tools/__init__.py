"""The modules behind the invoke tasks in tasks.py."""
