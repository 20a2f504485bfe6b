"""Adapters between files and the core: YAML, CSV and Excel readers, the workbook writer,
the SCB API client, and safe writing."""
