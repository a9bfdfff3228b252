"""Derived state: what the page says at a moment, as pure functions of the view and now."""
