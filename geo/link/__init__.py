"""Linking: one project reported by many articles becomes one entity with a stage history."""
