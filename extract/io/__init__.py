"""Input readers, encoding detection and atomic, resumable output writers."""
