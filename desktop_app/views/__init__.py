"""The desktop console (Qt). Only this package imports PySide6 and pyqtgraph."""
