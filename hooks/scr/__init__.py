"""Plain-Python generators behind the build hook (hooks/scr_hook.py).

Each module takes data in and gives Markdown, HTML or bytes out, and can be used without MkDocs.
"""
