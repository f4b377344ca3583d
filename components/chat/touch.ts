// Below 1024 px the app is laid out for touch: its controls are at least 44 × 44 px (WCAG 2.5.5, Apple's and
// Material's guidance), centred on their text; from 1024 px they keep their compact desktop size.
export const TOUCH_TARGET = "max-lg:min-h-11 max-lg:min-w-11";
