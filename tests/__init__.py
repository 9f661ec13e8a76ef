"""Test suite of the clinic blog."""
