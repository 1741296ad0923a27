import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../common/messages';
import { allStrings } from '../workflows';
import { gatherStrings } from './strings';

export function initI18n(language: Language): typeof i18next {
  const { en, ja } = gatherStrings(allStrings);
  void i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return i18next;
}
