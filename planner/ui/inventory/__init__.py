"""The ketamine log page: lots, balances and counts; receive a delivery, record a count, print."""
