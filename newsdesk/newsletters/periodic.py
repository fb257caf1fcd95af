from newsdesk.newsletters.sending import sends


def send_newsletters():
    """Starts scheduled issues, and takes over batches of sends whose worker died or whose retry is due."""
    sends.start_scheduled_sends()
    sends.resume_stalled_batches()
