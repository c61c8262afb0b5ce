"""/chair: the Chair's messages written, previewed, approved and followed in the chat."""
