from newsdesk.newsletters import sending


def send_newsletters():
    """Starts scheduled issues, and takes over batches of sends whose worker died or whose retry is due."""
    sending.start_scheduled_sends()
    sending.resume_stalled_batches()
