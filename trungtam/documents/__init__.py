"""Helpers shared by every document: numbers and dates the Vietnamese way, fonts, XLSX writing."""
