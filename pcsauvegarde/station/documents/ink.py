"""The colours of printed pages (RGB 0–255); every document takes them from here."""

INK = (0, 0, 0)
GREY = (90, 90, 90)
WATERMARK = (215, 215, 215)
ALLERGY_RED = (190, 0, 0)
UNKNOWN_INK = (150, 70, 0)   # « non renseignées »: must stand out, must not read as an allergy
WHITE = (255, 255, 255)
