"""Views: the site as one audience may see it, taken from the validated model before any
state is derived, so that no renderer ever receives what its audience may not read."""
