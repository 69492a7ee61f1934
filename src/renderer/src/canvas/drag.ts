/** The MIME type the canvas accepts on drop: the dragged card's type from the palette. */
export const CARD_DRAG_TYPE = 'application/x-flowstead-card';
