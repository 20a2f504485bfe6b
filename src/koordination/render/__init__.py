"""Every output kn makes, and nothing that computes money: labels in Swedish and English,
the one number formatter, the Metod text, JSON, terminal tables and the workbooks."""
