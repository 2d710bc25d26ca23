"""The desktop app (PySide6). Thin: widgets ask services and show what they return."""
