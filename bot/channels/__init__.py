"""Channel senders behind one small contract: e-mail and Telegram."""
