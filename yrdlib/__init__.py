"""yrdlib: harmonised regional statistics and evidence methods for testing claims about
Yuhuan (玉环) and Taizhou (台州) integrating into the Yangtze River Delta (长三角)."""

__version__ = "0.1.0"
