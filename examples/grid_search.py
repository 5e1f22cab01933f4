"""Choose the number of components and the covariance type of a mixture by cross-validated BIC.

    python examples/grid_search.py

Needs scikit-learn (for GridSearchCV, Pipeline and StandardScaler); mixtures itself does not.
"""
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mixtures import GaussianMixture, bic_score, load_faithful

X = load_faithful()
grid = {"n_components": [1, 2, 3, 4], "covariance_type": ["full", "tied", "diag", "spherical"]}
search = GridSearchCV(GaussianMixture(n_init=3, random_state=0), grid, scoring=bic_score).fit(X)
print("best:", search.best_params_, f"held-out BIC {-search.best_score_:.2f}")
for params, score in sorted(zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]),
                            key=lambda pair: -pair[1])[:4]:
    print(f"  {params['covariance_type']:>9} {params['n_components']}: BIC {-score:.2f}")

pipeline = make_pipeline(StandardScaler(), GaussianMixture(2, random_state=0)).fit(X)
print("pipeline labels:", pipeline.predict(X[:8]))
