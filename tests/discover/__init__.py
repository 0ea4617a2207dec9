"""Tests of the discover stage."""
