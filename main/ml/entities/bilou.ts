// Moved to common/bilou.ts (the corpus readers and the model share it); kept while the entity modules move over.
export * from '../../../common/bilou';
