// Topic labelling over pre-cut documents (issue 17, "Labels, two methods"): terms from morphemes,
// TF-IDF as scikit-learn's, the study's embedding-weighted labels, BERTopic's c-TF-IDF with MMR,
// representative documents and the lift that compares label lists.
export * from './terms';
export * from './tfidf';
export * from './vectors';
export * from './studyLabels';
export * from './ctfidf';
export * from './lift';
