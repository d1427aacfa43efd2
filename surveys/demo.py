def seed(*, out) -> None:
    """Demo data of this app; grows with the app. Must be safe to run again."""
