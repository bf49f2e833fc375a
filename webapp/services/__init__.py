"""Services take a Session, add and flush; the caller commits."""
