"""Statistics Sweden: exported files (Statistikdatabasen, Kolada) and the PxWebApi client."""
