"""Text for the terminal: tables, explanations and notes."""
