"""io/scb"""
