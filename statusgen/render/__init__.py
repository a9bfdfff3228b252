"""Renderers: derived state to pages, feeds, calendars, badges and the Statuspage API.
They never read files and never compute a status of their own."""
