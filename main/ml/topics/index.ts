// Topic labelling over pre-cut documents (issue 17, "Labels, two methods"): terms from morphemes,
// TF-IDF as scikit-learn's, the study's embedding-weighted labels, BERTopic's c-TF-IDF with MMR,
// representative documents, the lift that compares label lists, and the single-word labels the study
// found poor for Japanese.
export * from './terms';
export * from './tfidf';
export * from './vectors';
export * from './studyLabels';
export * from './ctfidf';
export * from './lift';
export * from './singleWordLabels';
