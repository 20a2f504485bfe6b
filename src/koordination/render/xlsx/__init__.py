"""render/xlsx"""
