/**
 * Languages a volunteer can take calls in, as the codes the routing core matches against a caller's
 * language (telephony passes the same codes): Mandarin, Cantonese, Wu (Shanghainese), Min Nan
 * (Hokkien, Taiwanese), Hakka, English, Uyghur, Tibetan. No dependencies: the console imports it.
 */
export const SPOKEN_LANGUAGES = ['zh', 'yue', 'wuu', 'nan', 'hak', 'en', 'ug', 'bo'] as const;
