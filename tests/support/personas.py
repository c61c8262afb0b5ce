"""The people of the chat specs: Telegram user ids nobody real has."""

STAFF = 5550001  # a staff member
ADMIN = 5550002  # an admin
STRANGER = 5550009  # nobody the bot knows
