"""The workbooks: :mod:`.base` holds what every workbook repeats, one module per workbook."""
