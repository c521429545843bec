"""Demo (training) mode: fake data on a throwaway database that can never sync."""
