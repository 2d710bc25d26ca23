"""The week planner: chair and staff views of a week, the session editor, undo commands."""
