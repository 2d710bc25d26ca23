"""Signing in to the app: the login at start, the lock after idle minutes, the account menu,
and the accounts panel of the Clinic page."""
