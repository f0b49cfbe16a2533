"""Compact Cases domain rules: plain Python, no web or database."""
