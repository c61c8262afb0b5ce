"""Everything python-telegram-bot: the staff's and the PoCs' chat (app.py holds the one ordered
handler list), one module or folder per feature."""
