"""Numeric, multiple-answer and rubric cards in deck files: parsing, every lint, the bundled decks."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from studycli import deckcache
from studycli.answers import grade_numeric, read_number
from studycli.decks import iter_deck_files, load_deck_file, parse_deck
from studycli.model import CardKind

FM = "---\ntitle: T\narea: Foundations\n---\n"  # the first card heading is line 5
ROOT = Path(__file__).resolve().parents[1]


def parse(body: str):
    return parse_deck(FM + textwrap.dedent(body).lstrip("\n"), "area/topic", "deck.md")


def only_card(body: str):
    parsed = parse(body)
    assert [d for d in parsed.diagnostics if d.severity == "error"] == [], parsed.diagnostics
    assert parsed.deck is not None and len(parsed.deck.cards) == 1
    return parsed.deck.cards[0], parsed.diagnostics


def test_numeric_card_with_stem_time_and_solution() -> None:
    card, diags = only_card(
        """
        ## How much memory do the weights take? {#mem}
        A 70B model at 4 bits.

        = 37 ± 1.5 GB

        Time: 90 s

        70e9 × 0.5 bytes = 35 GB, plus scales.
        """
    )
    assert diags == ()
    assert card.kind is CardKind.NUMERIC and card.id == "area/topic#mem"
    assert card.stem == "A 70B model at 4 bits."
    assert card.numeric is not None
    assert (card.numeric.value, card.numeric.tolerance, card.numeric.unit) == (37e9, 1.5e9, "GB")
    assert card.numeric.seconds == 90
    assert card.explanation == card.answer == "70e9 × 0.5 bytes = 35 GB, plus scales."


def test_time_line_may_share_the_answer_paragraph() -> None:
    card, _ = only_card("## Q {#q}\n= 42\nTime: 2 min\n\nWhy.\n")
    assert card.numeric is not None and card.numeric.seconds == 120 and card.explanation == "Why."


def test_multi_card() -> None:
    card, diags = only_card(
        """
        ## Which cut KV memory? {#kv}
        - [x] GQA
        - [x] FP8 cache
        - [ ] 4-bit weights

        Weights are not the cache.
        """
    )
    assert diags == ()
    assert card.kind is CardKind.MULTI
    assert card.correct_indexes == {0, 1}
    assert card.explanation == "Weights are not the cache."


def test_rubric_card_keeps_the_answer_around_its_key_points() -> None:
    card, diags = only_card(
        """
        ## Explain dropout. {#drop}
        Dropout zeroes activations at random.

        **Key points:**
        - [ ] Zeroes units with probability p
        - [ ] Rescales by 1/(1 − p)
        - [ ] Off at inference

        See Srivastava et al. 2014.
        """
    )
    assert diags == ()
    assert card.kind is CardKind.RUBRIC
    assert card.points == ("Zeroes units with probability p", "Rescales by 1/(1 − p)", "Off at inference")
    assert card.answer == "Dropout zeroes activations at random.\n\nSee Srivastava et al. 2014."


def test_a_task_list_after_key_points_is_never_multiple_choice() -> None:
    card, _ = only_card("## Q {#q}\nKey points\n\n- [ ] one\n- [ ] two\n")
    assert card.kind is CardKind.RUBRIC and card.options == ()


@pytest.mark.parametrize(
    "body",
    [
        "## Q {#q}\nKey points:\n\n- one\n- two\n",  # a plain list under 'Key points' stays prose
        "## Q {#q}\nSo x\n= 5 + y\n",  # '=' continuing a paragraph: an equation
        "## Q {#q}\n=> not an answer\n",
        "## Q {#q}\n```\n= 5\n```\n",  # code
        "## Q {#q}\n- item\n\n  = 24 GB\n",  # inside a list item
        "## Q {#q}\nTime: O(n log n)\n",  # not a duration line
    ],
)
def test_look_alikes_stay_basic(body: str) -> None:
    card, _ = only_card(body)
    assert card.kind is CardKind.BASIC and card.numeric is None and card.points == ()


def test_the_first_deciding_block_sets_the_kind() -> None:
    card, _ = only_card("## Q {#q}\n= 5\n\nSolution with a list:\n\n- [ ] not an option\n- [x] nor this\n")
    assert card.kind is CardKind.NUMERIC and "[ ] not an option" in card.explanation


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("## Q {#q}\n=\n", 6, "'=' needs a number"),
        ("## Q {#q}\n= lots\n", 6, "does not start with a number"),
        ("## Q {#q}\nStem.\n\n= 1,3 ± 1\n", 8, "commas group thousands"),
        ("## Q {#q}\n= 5 ±\n", 6, "'±' without a number"),
        ("## Q {#q}\n= 5 ± 0\n", 6, "tolerance of zero"),
        ("## Q {#q}\n= 5 ± -1\n", 6, "must be positive"),
        ("## Q {#q}\n= 5 ± 1 parsecs\n", 6, "unknown unit 'parsecs'"),
        ("## Q {#q}\n= 5 ms ± 1 GB\n", 6, "the value is in ms but the tolerance in GB"),
        ("## Q {#q}\n= 5\nand more\n", 7, "stands alone in its paragraph"),
        ("## Q {#q}\n= 5\n\nTime: soon\n", 8, "'Time:' needs a duration"),
        ("## Q {#q}\n= 5\n\nTime: 0 s\n", 8, "more than zero seconds"),
        ("## Q {#q}\nSolution.\n\nTime: 90 s\n", 8, "add an '= value ± tolerance' line"),
        ("## Q {#q}\n- [x] a\n- [x] b\n- [x] c\n", 6, "all 3 options are [x]"),
        ("## Q {#q}\n- [ ] a\n- [ ] b\n", 6, "needs an [x] option, found none"),
        ("## Q {#q}\n- [x] a\n- [x] b\n- c\n", 6, "mixes"),
        ("## Q {#q}\n" + "".join(f"- [{'x' if i < 2 else ' '}] o{i}\n" for i in range(27)), 6, "27 options"),
        ("## Q {#q}\nKey points:\n- [ ] only one\n", 7, "at least two key points"),
        ("## Q {#q}\nKey points:\n- [ ] a\n- [x] b\n", 7, "unticked"),
        ("## Q {#q}\nKey points:\n- [ ] a\n- b\n", 7, "mixes"),
        ("## Q {#q}\nKey points:\n" + "".join(f"- [ ] p{i}\n" for i in range(10)), 7, "at most 9"),
    ],
)
def test_malformed_forms_are_errors_at_their_line(body: str, line: int, fragment: str) -> None:
    parsed = parse_deck(FM + body + "\n## Fine {#fine}\nAnswer.\n", "a/b", "deck.md")
    errors = [d for d in parsed.diagnostics if d.severity == "error"]
    assert any(fragment in d.message and d.line == line for d in errors), parsed.diagnostics
    assert str(errors[0]).startswith(f"deck.md:{line}: error: ")
    assert parsed.deck is not None and [c.id for c in parsed.deck.cards] == ["a/b#fine"]  # deck survives


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("## Q {#q}\n= 5 ± 1\n", "no worked solution"),
        ("## Q {#q}\nSo the total\n= 42\n", "continues the paragraph above"),
        ("## Q {#q}\n- [x] a\n- [x] b\n- [ ] c\n", "no explanation"),
    ],
)
def test_warnings(body: str, fragment: str) -> None:
    parsed = parse_deck(FM + body, "a/b", "deck.md")
    assert any(d.severity == "warning" and fragment in d.message for d in parsed.diagnostics), (
        parsed.diagnostics
    )
    assert parsed.deck is not None and len(parsed.deck.cards) == 1


def test_new_kinds_survive_the_deck_cache() -> None:
    parsed = parse(
        """
        ## N {#n}
        = 1.3e9 ± 10%

        Time: 60 s

        Solution.

        ## M {#m}
        - [x] a
        - [x] b
        - [ ] c

        Why.

        ## R {#r}
        Key points:
        - [ ] one
        - [ ] two
        """
    )
    entry, blob = deckcache.encode(parsed)
    back = deckcache.decode(json.loads(json.dumps(entry)), lambda: blob)
    assert back == parsed


def test_untrusted_text_in_new_kinds_is_cleaned_at_load() -> None:
    card, _ = only_card("## Q {#q}\nKey points:\n- [ ] one \x1b[2J\u202eevil\n- [ ] two\n")
    assert card.points[0] == "one evil"


# --- the bundled decks --------------------------------------------------------------------------

# Cards converted on purpose by issue 10 (same id, new kind). Cards added after the fixture
# (e.g. llm-product-design#tpot-budget) are not compared and are not listed.
CONVERTED = {
    "llm-systems/quantisation#memory-70b": "numeric",
    "llm-systems/kv-cache-and-memory#kv-gqa-numeric": "numeric",
    "llm-systems/kv-cache-and-memory#param-count-numeric": "numeric",
    "llm-systems/kv-cache-and-memory#kv-not-reduce": "multi",
    "mlops/model-serving#shadow-limits": "multi",
    "llm-systems/kv-cache-and-memory#training-bytes-per-param": "rubric",
    "llm-systems/mixed-precision#nan-debugging": "rubric",
    "llm-systems/quantisation#ptq-vs-qat": "rubric",
    "deep-learning/cnns#conv-param-count": "numeric",
    "deep-learning/cnns#output-size": "numeric",
    "deep-learning/cnns#rf-numeric": "numeric",
    "deep-learning/cnns#depthwise-separable": "numeric",
    "deep-learning/attention#gqa-kv-ratio": "numeric",
    "deep-learning/detection-and-augmentation#iou-numeric": "numeric",
    "deep-learning/detection-and-augmentation#dice-iou": "numeric",
    "deep-learning/detection-and-augmentation#focal-loss": "numeric",
    "deep-learning/generative-models#gaussian-kl": "numeric",
    "deep-learning/sequence-models#lstm-params": "numeric",
    "deep-learning/word-embeddings#noise-distribution": "numeric",
    "deep-learning/word-embeddings#subsampling": "numeric",
    "deep-learning/word-embeddings#pmi-numeric": "numeric",
    "llm-systems/distillation-and-pruning#kd-temperature-numeric": "numeric",
    "llm-systems/mixed-precision#bf16-small-update": "numeric",
    "llm-systems/mixed-precision#mfu-hfu": "numeric",
    "llm-systems/parallelism#pp-bubble-numeric": "numeric",
    "llm-systems/roofline-flashattention#decode-bandwidth-bound": "numeric",
    "llm-systems/roofline-flashattention#online-softmax": "numeric",
    "llm-systems/serving-batching#throughput-to-tpot": "numeric",
    "llm-systems/serving-batching#cow-parallel-sampling": "numeric",
    "llm-systems/serving-batching#concurrency-sizing": "numeric",
    "llm-systems/speculative-decoding#accept-prob": "numeric",
    "llm-systems/speculative-decoding#expected-tokens": "numeric",
    "llm-systems/zero-fsdp#zero-worked": "numeric",
    "llm-systems/zero-fsdp#fsdp-overlap": "numeric",
    "transformers-llms/architecture#swiglu-width": "numeric",
    "transformers-llms/architecture#embedding-fraction": "numeric",
    "transformers-llms/architecture#moe-active-params": "numeric",
    "transformers-llms/decoding#min-p": "numeric",
    "transformers-llms/fine-tuning-peft#lora-param-count": "numeric",
    "transformers-llms/pretraining-objectives#perplexity-numeric": "numeric",
    "transformers-llms/scaling-laws#kaplan-exponent": "numeric",
    "transformers-llms/tokenisation#vocab-params": "numeric",
    "deep-learning/detection-and-augmentation#cutmix-label": "numeric",
    "llm-systems/quantisation#asym-example": "numeric",
    "transformers-llms/rlhf-alignment#bt-numeric": "numeric",
    "transformers-llms/scaling-laws#chinchilla-budget": "numeric",
    "llm-systems/serving-batching#latency-metrics": "rubric",
    "llm-systems/serving-batching#preemption-admission": "rubric",
    "llm-systems/kv-cache-and-memory#prefill-vs-decode": "rubric",
    "llm-systems/serving-batching#static-vs-continuous": "rubric",
    "llm-systems/serving-batching#paged-attention": "rubric",
    "llm-systems/serving-batching#prefix-caching": "rubric",
    "llm-systems/serving-batching#tuning-for-goodput": "rubric",
    "llm-systems/serving-batching#pd-disaggregation": "rubric",
    "llm-systems/kv-cache-and-memory#shrink-kv": "rubric",
    "llm-systems/kv-cache-and-memory#param-count": "rubric",
    "llm-systems/kv-cache-and-memory#flops-2n-6n": "rubric",
    "llm-systems/kv-cache-and-memory#kv-capacity": "rubric",
    "mlops/ab-testing#sample-size-mcq": "numeric",
    "mlops/ab-testing#peeking": "numeric",
    "mlops/model-serving#fanout-tail": "numeric",
    "mlops/monitoring-drift#psi-compute": "numeric",
    "ml-system-design/ads-ctr-prediction#downsampling-correction": "numeric",
    "ml-system-design/content-moderation#cohens-kappa": "numeric",
    "ml-system-design/design-framework#qps-estimate": "numeric",
    "ml-system-design/design-framework#embedding-storage": "numeric",
    "ml-system-design/nlp-classification-and-chatbots#containment-resolution": "numeric",
    "ml-system-design/rag-assistant-design#cost-per-query": "numeric",
    "ml-system-design/time-series-forecasting#intermittent-mae": "numeric",
    "ml-system-design/time-series-forecasting#residual-anomaly": "numeric",
    "genai/adaptation-strategy#break-even": "numeric",
    "genai/advanced-retrieval#in-batch-count": "numeric",
    "genai/agents-tool-use#compounding-errors": "numeric",
    "genai/cost-optimisation#monthly-estimate": "numeric",
    "genai/cost-optimisation#cascade-cost": "numeric",
    "genai/cost-optimisation#utilisation-cost": "numeric",
    "genai/llm-evaluation#eval-ci": "numeric",
    "genai/multimodal#clip-init-loss": "numeric",
    "genai/multimodal#visual-token-count": "numeric",
    "genai/rag#bm25-saturation": "numeric",
    "genai/vector-search#pq-memory": "numeric",
    "coding-behavioural/ml-from-scratch#auc-ranks": "numeric",
    "coding-behavioural/ml-from-scratch#distance-memory": "numeric",
    "coding-behavioural/leadership-scenarios#build-vs-buy": "rubric",
    "coding-behavioural/leadership-scenarios#incomplete-data": "rubric",
    "coding-behavioural/leadership-scenarios#ml-estimates": "rubric",
    "coding-behavioural/leadership-scenarios#postmortem": "rubric",
    "coding-behavioural/leadership-scenarios#tech-debt": "rubric",
    "coding-behavioural/star-stories#metric-disagreement-story": "rubric",
    "coding-behavioural/star-stories#ml-failure-story": "rubric",
    "coding-behavioural/star-stories#story-bank": "rubric",
    "coding-behavioural/dsa-patterns#bfs-dfs": "rubric",
    "coding-behavioural/dsa-patterns#pattern-cues": "rubric",
    "coding-behavioural/ml-from-scratch#attention-numpy": "rubric",
    "coding-behavioural/ml-from-scratch#kmeans-impl": "rubric",
    "coding-behavioural/ml-from-scratch#knn-impl": "rubric",
    "coding-behavioural/ml-from-scratch#linreg-impl": "rubric",
    "coding-behavioural/ml-from-scratch#logreg-gd": "rubric",
    "coding-behavioural/ml-from-scratch#testing-complexity": "rubric",
    "coding-behavioural/ml-from-scratch#tree-split": "rubric",
    "mlops/ab-testing#cuped": "rubric",
    "mlops/ab-testing#metrics-guardrails": "rubric",
    "mlops/ab-testing#novelty-primacy": "rubric",
    "mlops/ab-testing#offline-online-gap": "rubric",
    "mlops/ab-testing#randomisation-unit": "rubric",
    "mlops/ab-testing#sample-size": "rubric",
    "mlops/ab-testing#sequential-tests": "rubric",
    "mlops/model-serving#autoscaling-cold-start": "rubric",
    "mlops/model-serving#caching-fallbacks": "rubric",
    "mlops/model-serving#deployment-patterns": "rubric",
    "mlops/model-serving#dynamic-batching": "rubric",
    "mlops/model-serving#inference-modes": "rubric",
    "mlops/model-serving#tail-latency": "rubric",
    # issue 11 item 4: Foundations, Classical ML, Python for ML (cards newer than the fixture, such as
    # classical-ml/tabular-modelling#ordered-ts, are converted too but not listed: the test skips them)
    "classical-ml/imbalanced-data#prior-correction-numbers": "numeric",
    "classical-ml/knn-naive-bayes#cover-hart": "numeric",
    "classical-ml/knn-naive-bayes#laplace-smoothing": "numeric",
    "classical-ml/regularisation#lambda-vs-n": "numeric",
    "classical-ml/regularisation#one-se-rule": "numeric",
    "foundations/evaluation-metrics#ap-example": "numeric",
    "foundations/evaluation-metrics#f1-harmonic": "numeric",
    "foundations/evaluation-metrics#threshold-cost": "numeric",
    "foundations/fairness-and-error-analysis#reweighing-numeric": "numeric",
    "foundations/feature-engineering#hashing-collisions": "numeric",
    "foundations/hyperparameter-tuning#random-trials-needed": "numeric",
    "foundations/hyperparameter-tuning#sh-budget": "numeric",
    "foundations/ml-screening-basics#curse-volume": "numeric",
    "foundations/ml-screening-basics#lda-components": "numeric",
    "foundations/optimisation#adam-no-correction-step": "numeric",
    "foundations/probability#bayes-base-rate": "numeric",
    "foundations/probability#memoryless": "numeric",
    "foundations/statistical-inference#bh-fdr": "numeric",
    "foundations/statistical-inference#ci-sample-size": "numeric",
    "foundations/statistics-essentials#exponential-censored": "numeric",
    "foundations/statistics-essentials#geometric-memoryless": "numeric",
    "foundations/statistics-essentials#z-score-worked": "numeric",
    "python-ml/numpy#uint8-overflow": "numeric",
    "python-ml/pandas#merge-duplicates": "numeric",
    "python-ml/pytorch-autograd#grad-accumulates": "numeric",
    "python-ml/sql-for-ml#left-join-where": "numeric",
    "python-ml/sql-for-ml#running-total-frame": "numeric",
    "python-ml/sql-for-ml#sessionisation": "numeric",
    "classical-ml/clustering#choosing-k": "rubric",
    "classical-ml/clustering#cluster-evaluation": "rubric",
    "classical-ml/clustering#dbscan": "rubric",
    "classical-ml/clustering#gmm-em": "rubric",
    "classical-ml/clustering#kmeans-lloyd": "rubric",
    "classical-ml/clustering#kmeans-scale": "rubric",
    "classical-ml/clustering#linkages": "rubric",
    "classical-ml/dimensionality-reduction#choosing-components": "rubric",
    "classical-ml/dimensionality-reduction#johnson-lindenstrauss": "rubric",
    "classical-ml/dimensionality-reduction#pca-derivation": "rubric",
    "classical-ml/dimensionality-reduction#pca-limitations": "rubric",
    "classical-ml/dimensionality-reduction#tsne-mechanics": "rubric",
    "classical-ml/dimensionality-reduction#umap": "rubric",
    "classical-ml/dimensionality-reduction#whitening": "rubric",
    "classical-ml/imbalanced-data#active-learning": "rubric",
    "classical-ml/imbalanced-data#class-weights": "rubric",
    "classical-ml/imbalanced-data#few-positives": "rubric",
    "classical-ml/imbalanced-data#metric-choice": "rubric",
    "classical-ml/imbalanced-data#prior-correction": "rubric",
    "classical-ml/imbalanced-data#resampling": "rubric",
    "classical-ml/imbalanced-data#threshold-vs-resampling": "rubric",
    "classical-ml/knn-naive-bayes#curse-of-dimensionality": "rubric",
    "classical-ml/knn-naive-bayes#distance-metrics": "rubric",
    "classical-ml/knn-naive-bayes#nb-calibration": "rubric",
    "classical-ml/knn-naive-bayes#nb-model": "rubric",
    "classical-ml/knn-naive-bayes#query-cost": "rubric",
    "classical-ml/logistic-regression#multicollinearity": "rubric",
    "classical-ml/logistic-regression#ols-normal-equations": "rubric",
    "classical-ml/logistic-regression#regularisation-priors": "rubric",
    "classical-ml/regularisation#bayesian-view": "rubric",
    "classical-ml/regularisation#choosing-lambda": "rubric",
    "classical-ml/regularisation#elastic-net": "rubric",
    "classical-ml/regularisation#gbdt-nn-regularisation": "rubric",
    "classical-ml/regularisation#lasso-kkt": "rubric",
    "classical-ml/regularisation#ridge-closed-form": "rubric",
    "classical-ml/regularisation#standardise-intercept": "rubric",
    "classical-ml/svm-kernels#dual-support-vectors": "rubric",
    "classical-ml/svm-kernels#kernel-trick": "rubric",
    "classical-ml/svm-kernels#svm-scaling": "rubric",
    "classical-ml/svm-kernels#svm-vs-logreg": "rubric",
    "classical-ml/tree-ensembles#adaboost-vs-gbm": "rubric",
    "classical-ml/tree-ensembles#bagging-random-forest": "rubric",
    "classical-ml/tree-ensembles#gbt-hyperparameters": "rubric",
    "classical-ml/tree-ensembles#lightgbm": "rubric",
    "classical-ml/tree-ensembles#xgboost-objective": "rubric",
    "foundations/bias-variance#data-leakage": "rubric",
    "foundations/bias-variance#decomposition-derivation": "rubric",
    "foundations/bias-variance#double-descent": "rubric",
    "foundations/bias-variance#kfold-cv": "rubric",
    "foundations/bias-variance#learning-curves": "rubric",
    "foundations/bias-variance#regularisation-variance": "rubric",
    "foundations/bias-variance#time-series-cv": "rubric",
    "foundations/data-leakage#contamination": "rubric",
    "foundations/data-leakage#detect-leakage": "rubric",
    "foundations/data-leakage#llm-contamination": "rubric",
    "foundations/data-leakage#point-in-time-join": "rubric",
    "foundations/data-leakage#preprocessing-leak": "rubric",
    "foundations/data-leakage#target-leakage": "rubric",
    "foundations/data-leakage#temporal-leakage": "rubric",
    "foundations/evaluation-metrics#bleu-rouge": "rubric",
    "foundations/evaluation-metrics#calibration": "rubric",
    "foundations/evaluation-metrics#log-loss": "rubric",
    "foundations/evaluation-metrics#prf-fbeta": "rubric",
    "foundations/evaluation-metrics#ranking-metrics": "rubric",
    "foundations/evaluation-metrics#regression-metrics": "rubric",
    "foundations/evaluation-metrics#roc-vs-pr": "rubric",
    "foundations/fairness-and-error-analysis#legal-caveats": "rubric",
    "foundations/feature-engineering#categorical-encoding": "rubric",
    "foundations/feature-engineering#feature-selection": "rubric",
    "foundations/feature-engineering#missing-values": "rubric",
    "foundations/feature-engineering#numeric-transforms": "rubric",
    "foundations/feature-engineering#scaling": "rubric",
    "foundations/feature-engineering#target-encoding": "rubric",
    "foundations/feature-engineering#time-features": "rubric",
    "foundations/hyperparameter-tuning#bayesian-optimisation": "rubric",
    "foundations/hyperparameter-tuning#grid-vs-random": "rubric",
    "foundations/hyperparameter-tuning#hyperband": "rubric",
    "foundations/hyperparameter-tuning#nested-cv": "rubric",
    "foundations/hyperparameter-tuning#tuning-at-scale": "rubric",
    "foundations/linear-algebra#condition-number": "rubric",
    "foundations/linear-algebra#eckart-young-lora": "rubric",
    "foundations/linear-algebra#eigendecomposition": "rubric",
    "foundations/linear-algebra#pca-svd": "rubric",
    "foundations/linear-algebra#psd": "rubric",
    "foundations/linear-algebra#rank-nullspace": "rubric",
    "foundations/linear-algebra#svd": "rubric",
    "foundations/optimisation#adam-bias-correction": "rubric",
    "foundations/optimisation#adamw-decoupled": "rubric",
    "foundations/optimisation#gd-sgd-minibatch": "rubric",
    "foundations/optimisation#rmsprop": "rubric",
    "foundations/optimisation#saddle-points": "rubric",
    "foundations/optimisation#warmup-cosine": "rubric",
    "foundations/probability#conjugacy": "rubric",
    "foundations/probability#distributions": "rubric",
    "foundations/probability#entropy-kl": "rubric",
    "foundations/probability#expectation-variance": "rubric",
    "foundations/probability#lln-vs-clt": "rubric",
    "foundations/probability#mle-derivations": "rubric",
    "foundations/statistical-inference#bootstrap": "rubric",
    "foundations/statistical-inference#chi-square": "rubric",
    "foundations/statistical-inference#confidence-intervals": "rubric",
    "foundations/statistical-inference#mann-whitney": "rubric",
    "foundations/statistical-inference#power": "rubric",
    "foundations/statistical-inference#regression-diagnostics": "rubric",
    "foundations/statistical-inference#z-t-welch-paired": "rubric",
    "python-ml/numpy#broadcasting-rules": "rubric",
    "python-ml/numpy#inplace-out": "rubric",
    "python-ml/numpy#logsumexp": "rubric",
    "python-ml/numpy#random-generator": "rubric",
    "python-ml/numpy#vectorisation": "rubric",
    "python-ml/numpy#views-copies": "rubric",
    "python-ml/pandas#chained-assignment": "rubric",
    "python-ml/pandas#dtypes-memory": "rubric",
    "python-ml/pandas#large-data-parquet": "rubric",
    "python-ml/pandas#leave-pandas": "rubric",
    "python-ml/pandas#merge-semantics": "rubric",
    "python-ml/pandas#time-zones-resample": "rubric",
    "python-ml/pandas#vectorise-apply": "rubric",
    "python-ml/pytorch-autograd#custom-function": "rubric",
    "python-ml/pytorch-autograd#dynamic-graph": "rubric",
    "python-ml/pytorch-autograd#nn-module": "rubric",
    "python-ml/pytorch-autograd#nograd-inference-detach": "rubric",
    "python-ml/pytorch-autograd#sync-device-dtype": "rubric",
    "python-ml/pytorch-autograd#training-loop": "rubric",
    "python-ml/pytorch-training#autocast-gradscaler": "rubric",
    "python-ml/pytorch-training#checkpointing": "rubric",
    "python-ml/pytorch-training#dataloader-knobs": "rubric",
    "python-ml/pytorch-training#ddp-mechanics": "rubric",
    "python-ml/pytorch-training#input-bottleneck": "rubric",
    "python-ml/pytorch-training#oom-debugging": "rubric",
    "python-ml/pytorch-training#reproducibility": "rubric",
    "python-ml/pytorch-training#torch-compile": "rubric",
    "python-ml/sql-for-ml#join-grain": "rubric",
    "python-ml/sql-for-ml#lag-lead-frames": "rubric",
    "python-ml/sql-for-ml#point-in-time-join": "rubric",
    "deep-learning/attention#sdpa-formula": "rubric",
    "deep-learning/attention#scale-factor": "rubric",
    "deep-learning/attention#masking": "rubric",
    "deep-learning/attention#multi-head": "rubric",
    "deep-learning/attention#quadratic-cost": "rubric",
    "deep-learning/attention#mqa-gqa": "rubric",
    "deep-learning/attention#attention-vs-rnn": "rubric",
    "deep-learning/backpropagation#chain-rule-graph": "rubric",
    "deep-learning/backpropagation#softmax-ce-grad": "rubric",
    "deep-learning/backpropagation#vanishing-exploding": "rubric",
    "deep-learning/backpropagation#activation-functions": "rubric",
    "deep-learning/backpropagation#xavier-vs-he": "rubric",
    "deep-learning/backpropagation#gradient-checking": "rubric",
    "deep-learning/backpropagation#activation-memory": "rubric",
    "deep-learning/cnns#conv-vs-dense": "rubric",
    "deep-learning/cnns#receptive-field": "rubric",
    "deep-learning/cnns#pooling-vs-stride": "rubric",
    "deep-learning/cnns#one-by-one-conv": "rubric",
    "deep-learning/cnns#resnet-blocks": "rubric",
    "deep-learning/cnns#equivariance-invariance": "rubric",
    "deep-learning/detection-and-augmentation#augmentation-principles": "rubric",
    "deep-learning/detection-and-augmentation#mixup-randaugment": "rubric",
    "deep-learning/detection-and-augmentation#one-vs-two-stage": "rubric",
    "deep-learning/detection-and-augmentation#map-metrics": "rubric",
    "deep-learning/generative-models#autoencoders-pca": "rubric",
    "deep-learning/generative-models#elbo": "rubric",
    "deep-learning/generative-models#vae-failure-modes": "rubric",
    "deep-learning/generative-models#gan-stability": "rubric",
    "deep-learning/generative-models#family-comparison": "rubric",
    "deep-learning/normalisation#bn-train-eval": "rubric",
    "deep-learning/normalisation#ln-vs-bn": "rubric",
    "deep-learning/normalisation#rmsnorm": "rubric",
    "deep-learning/normalisation#pre-vs-post-ln": "rubric",
    "deep-learning/normalisation#dropout-practice": "rubric",
    "deep-learning/normalisation#early-stopping": "rubric",
    "deep-learning/normalisation#residual-gradient-flow": "rubric",
    "deep-learning/sequence-models#rnn-bptt": "rubric",
    "deep-learning/sequence-models#rnn-gradient-condition": "rubric",
    "deep-learning/sequence-models#lstm": "rubric",
    "deep-learning/sequence-models#gru-vs-lstm": "rubric",
    "deep-learning/sequence-models#seq2seq-bottleneck": "rubric",
    "deep-learning/sequence-models#exposure-bias": "rubric",
    "deep-learning/sequence-models#ssm-linear-attention": "rubric",
    "deep-learning/transfer-and-self-supervised#extract-vs-finetune": "rubric",
    "deep-learning/transfer-and-self-supervised#finetuning-recipe": "rubric",
    "deep-learning/transfer-and-self-supervised#pretext-tasks": "rubric",
    "deep-learning/transfer-and-self-supervised#infonce": "rubric",
    "deep-learning/transfer-and-self-supervised#clip": "rubric",
    "deep-learning/transfer-and-self-supervised#linear-probe-embeddings": "rubric",
    "deep-learning/word-embeddings#skipgram-cbow": "rubric",
    "deep-learning/word-embeddings#negative-sampling": "rubric",
    "deep-learning/word-embeddings#glove": "rubric",
    "deep-learning/word-embeddings#pmi-view": "rubric",
    "deep-learning/word-embeddings#fasttext": "rubric",
    "ml-system-design/ads-ctr-prediction#ads-auction": "rubric",
    "ml-system-design/ads-ctr-prediction#features-hashing": "rubric",
    "ml-system-design/ads-ctr-prediction#model-lineage": "rubric",
    "ml-system-design/ads-ctr-prediction#training-freshness": "rubric",
    "ml-system-design/ads-ctr-prediction#normalised-entropy": "rubric",
    "ml-system-design/content-moderation#policy-taxonomy": "rubric",
    "ml-system-design/content-moderation#moderation-cascade": "rubric",
    "ml-system-design/content-moderation#multimodal": "rubric",
    "ml-system-design/content-moderation#thresholds-capacity": "rubric",
    "ml-system-design/content-moderation#multilingual-fairness": "rubric",
    "ml-system-design/content-moderation#moderation-metrics": "rubric",
    "ml-system-design/content-moderation#llm-moderation": "rubric",
    "ml-system-design/design-framework#framework-steps": "rubric",
    "ml-system-design/design-framework#what-to-quantify": "rubric",
    "ml-system-design/design-framework#baseline-first": "rubric",
    "ml-system-design/fraud-detection#fraud-requirements": "rubric",
    "ml-system-design/fraud-detection#fraud-labels": "rubric",
    "ml-system-design/fraud-detection#fraud-features": "rubric",
    "ml-system-design/fraud-detection#fraud-models": "rubric",
    "ml-system-design/fraud-detection#anomaly-detection": "rubric",
    "ml-system-design/fraud-detection#review-queue": "rubric",
    "ml-system-design/fraud-detection#fraud-feedback-loop": "rubric",
    "ml-system-design/nlp-classification-and-chatbots#classification-ladder": "rubric",
    "ml-system-design/rag-assistant-design#rag-sizing": "rubric",
    "ml-system-design/rag-assistant-design#latency-budget": "rubric",
    "ml-system-design/rag-assistant-design#ingestion-pipeline": "rubric",
    "ml-system-design/rag-assistant-design#prompt-assembly": "rubric",
    "ml-system-design/rag-assistant-design#rag-guardrails": "rubric",
    "ml-system-design/rag-assistant-design#abstain-degrade": "rubric",
    "ml-system-design/rag-assistant-design#rag-eval-programme": "rubric",
    "ml-system-design/rag-assistant-design#caching-observability": "rubric",
    "ml-system-design/recommender-systems#objective-feedback": "rubric",
    "ml-system-design/recommender-systems#funnel": "rubric",
    "ml-system-design/recommender-systems#two-tower-logq": "rubric",
    "ml-system-design/recommender-systems#ranking-model": "rubric",
    "ml-system-design/recommender-systems#cold-start": "rubric",
    "ml-system-design/recommender-systems#rerank-diversity": "rubric",
    "ml-system-design/recommender-systems#offline-online": "rubric",
    "ml-system-design/search-ranking#search-stack": "rubric",
    "ml-system-design/search-ranking#ltr-approaches": "rubric",
    "ml-system-design/search-ranking#ranknet-lambda": "rubric",
    "ml-system-design/search-ranking#click-biases": "rubric",
    "ml-system-design/search-ranking#human-judgments": "rubric",
    "ml-system-design/search-ranking#ranking-features": "rubric",
    "ml-system-design/search-ranking#query-understanding": "rubric",
    "ml-system-design/time-series-forecasting#forecast-framing": "rubric",
    "ml-system-design/time-series-forecasting#pinball-loss": "rubric",
    "ml-system-design/time-series-forecasting#baselines-classical": "rubric",
    "ml-system-design/time-series-forecasting#global-gbdt": "rubric",
    "ml-system-design/time-series-forecasting#deep-forecasting": "rubric",
    "ml-system-design/time-series-forecasting#backtest-metrics": "rubric",
    "ml-system-design/time-series-forecasting#holidays-promos-coldstart": "rubric",
    "llm-systems/distillation-and-pruning#hinton-kd": "rubric",
    "llm-systems/distillation-and-pruning#sequence-level-kd": "rubric",
    "llm-systems/distillation-and-pruning#unstructured-vs-structured": "rubric",
    "llm-systems/distillation-and-pruning#two-four-sparsity": "rubric",
    "llm-systems/distillation-and-pruning#lottery-ticket": "rubric",
    "llm-systems/distillation-and-pruning#sparsegpt-wanda": "rubric",
    "llm-systems/distillation-and-pruning#which-when": "rubric",
    "llm-systems/mixed-precision#formats": "rubric",
    "llm-systems/mixed-precision#master-weights": "rubric",
    "llm-systems/mixed-precision#loss-scaling": "rubric",
    "llm-systems/mixed-precision#fp32-ops": "rubric",
    "llm-systems/mixed-precision#tf32": "rubric",
    "llm-systems/mixed-precision#long-seq-activations": "rubric",
    "llm-systems/parallelism#dp-allreduce": "rubric",
    "llm-systems/parallelism#tp-megatron": "rubric",
    "llm-systems/parallelism#pp-bubble": "rubric",
    "llm-systems/parallelism#sp-cp": "rubric",
    "llm-systems/parallelism#expert-parallelism": "rubric",
    "llm-systems/parallelism#choose-strategy": "rubric",
    "llm-systems/quantisation#sym-asym": "rubric",
    "llm-systems/quantisation#granularity": "rubric",
    "llm-systems/quantisation#outliers-llm-int8": "rubric",
    "llm-systems/quantisation#gptq": "rubric",
    "llm-systems/quantisation#formats": "rubric",
    "llm-systems/quantisation#measure-quality": "rubric",
    "llm-systems/roofline-flashattention#roofline": "rubric",
    "llm-systems/roofline-flashattention#matmul-intensity": "rubric",
    "llm-systems/roofline-flashattention#sram-hbm": "rubric",
    "llm-systems/roofline-flashattention#flash-algorithm": "rubric",
    "llm-systems/roofline-flashattention#flash-backward": "rubric",
    "llm-systems/roofline-flashattention#flash2-flash3": "rubric",
    "llm-systems/speculative-decoding#why-it-works": "rubric",
    "llm-systems/speculative-decoding#algorithm": "rubric",
    "llm-systems/speculative-decoding#residual-proof": "rubric",
    "llm-systems/speculative-decoding#speedup-and-k": "rubric",
    "llm-systems/speculative-decoding#draft-choice": "rubric",
    "llm-systems/speculative-decoding#variants": "rubric",
    "llm-systems/speculative-decoding#no-speedup-debug": "rubric",
    "llm-systems/zero-fsdp#zero-stages": "rubric",
    "llm-systems/zero-fsdp#zero-comm": "rubric",
    "llm-systems/zero-fsdp#zero-offload": "rubric",
    "llm-systems/zero-fsdp#fsdp-mechanics": "rubric",
    "llm-systems/zero-fsdp#fsdp-strategies": "rubric",
    "llm-systems/zero-fsdp#fsdp-vs-ddp-tp": "rubric",
    "mlops/data-pipelines#batch-vs-streaming": "rubric",
    "mlops/data-pipelines#kafka-basics": "rubric",
    "mlops/data-pipelines#event-time-watermarks": "rubric",
    "mlops/data-pipelines#airflow-ml": "rubric",
    "mlops/data-pipelines#lambda-kappa": "rubric",
    "mlops/data-pipelines#data-contracts": "rubric",
    "mlops/feature-stores#pit-join-why": "rubric",
    "mlops/feature-stores#skew-sources": "rubric",
    "mlops/feature-stores#freshness-tiers": "rubric",
    "mlops/feature-stores#backfills": "rubric",
    "mlops/feature-stores#entity-ttl": "rubric",
    "mlops/feature-stores#online-store-sizing": "rubric",
    "mlops/monitoring-drift#monitoring-layers": "rubric",
    "mlops/monitoring-drift#shift-types": "rubric",
    "mlops/monitoring-drift#psi": "rubric",
    "mlops/monitoring-drift#kl-js-ks": "rubric",
    "mlops/monitoring-drift#delayed-labels": "rubric",
    "mlops/monitoring-drift#alert-design": "rubric",
    "mlops/monitoring-drift#feedback-loops": "rubric",
    "mlops/serving-infrastructure#gpu-requests-limits": "rubric",
    "mlops/serving-infrastructure#cold-start-probes": "rubric",
    "mlops/training-pipelines#pipeline-dag": "rubric",
    "mlops/training-pipelines#orchestration": "rubric",
    "mlops/training-pipelines#reproducibility": "rubric",
    "mlops/training-pipelines#ct-triggers": "rubric",
    "genai/adaptation-strategy#data-needed": "rubric",
    "genai/adaptation-strategy#latency-cost-profile": "rubric",
    "genai/advanced-retrieval#dpr": "rubric",
    "genai/advanced-retrieval#fid": "rubric",
    "genai/agents-tool-use#tool-calling": "rubric",
    "genai/agents-tool-use#react": "rubric",
    "genai/agents-tool-use#planning-vs-reactive": "rubric",
    "genai/agents-tool-use#agent-memory": "rubric",
    "genai/agents-tool-use#multi-agent": "rubric",
    "genai/agents-tool-use#failure-modes": "rubric",
    "genai/agents-tool-use#guardrails": "rubric",
    "genai/agents-tool-use#agent-evaluation": "rubric",
    "genai/cost-optimisation#cost-model": "rubric",
    "genai/cost-optimisation#cascade-routing": "rubric",
    "genai/cost-optimisation#trim-context": "rubric",
    "genai/cost-optimisation#caching": "rubric",
    "genai/cost-optimisation#batch-maxtokens-structured": "rubric",
    "genai/cost-optimisation#self-hosting-breakeven": "rubric",
    "genai/cost-optimisation#latency-vs-cost": "rubric",
    "genai/llm-evaluation#why-hard": "rubric",
    "genai/llm-evaluation#golden-sets": "rubric",
    "genai/llm-evaluation#reference-metrics": "rubric",
    "genai/llm-evaluation#llm-judge": "rubric",
    "genai/llm-evaluation#hallucination": "rubric",
    "genai/llm-evaluation#online-eval": "rubric",
    "genai/llm-evaluation#benchmarks": "rubric",
    "genai/llm-security#direct-vs-indirect": "rubric",
    "genai/llm-security#why-prompting-fails": "rubric",
    "genai/llm-security#agent-defence-in-depth": "rubric",
    "genai/llm-security#output-handling": "rubric",
    "genai/llm-security#jailbreak-vs-injection": "rubric",
    "genai/llm-security#pii-training-extraction": "rubric",
    "genai/llm-security#owasp-llm-top10": "rubric",
    "genai/llm-security#red-teaming-evals": "rubric",
    "genai/multimodal#llava-adapter": "rubric",
    "genai/multimodal#vlm-connectors": "rubric",
    "genai/multimodal#fusion": "rubric",
    "genai/multimodal#cross-modal-retrieval": "rubric",
    "genai/multimodal#modality-gap": "rubric",
    "genai/prompting#few-shot-selection": "rubric",
    "genai/prompting#instructions-system": "rubric",
    "genai/prompting#cot-when": "rubric",
    "genai/prompting#self-consistency": "rubric",
    "genai/prompting#structured-output": "rubric",
    "genai/prompting#prompt-chaining": "rubric",
    "genai/prompting#prompt-versioning-eval": "rubric",
    "genai/rag#pipeline": "rubric",
    "genai/rag#chunking": "rubric",
    "genai/rag#bm25": "rubric",
    "genai/rag#cross-encoder": "rubric",
    "genai/rag#query-rewriting": "rubric",
    "genai/rag#evaluation": "rubric",
    "genai/rag#failure-modes": "rubric",
    "genai/vector-search#similarity-equivalence": "rubric",
    "genai/vector-search#exact-knn-cost": "rubric",
    "genai/vector-search#hnsw": "rubric",
    "genai/vector-search#ivf": "rubric",
    "genai/vector-search#product-quantisation": "rubric",
    "genai/vector-search#measuring-recall": "rubric",
    "genai/vector-search#embeddings-ops": "rubric",
    "transformers-llms/architecture#block-structure": "rubric",
    "transformers-llms/architecture#mqa-gqa-tradeoffs": "rubric",
    "transformers-llms/architecture#weight-tying": "rubric",
    "transformers-llms/architecture#moe-routing": "rubric",
    "transformers-llms/architecture#modern-recipe": "rubric",
    "transformers-llms/decoding#beam-length-norm": "rubric",
    "transformers-llms/decoding#temperature": "rubric",
    "transformers-llms/decoding#repetition-penalty": "rubric",
    "transformers-llms/decoding#stop-sequences": "rubric",
    "transformers-llms/decoding#constrained-decoding": "rubric",
    "transformers-llms/diffusion-models#forward-process": "rubric",
    "transformers-llms/diffusion-models#training-objective": "rubric",
    "transformers-llms/diffusion-models#ddpm-vs-ddim": "rubric",
    "transformers-llms/diffusion-models#noise-schedules": "rubric",
    "transformers-llms/diffusion-models#cfg": "rubric",
    "transformers-llms/diffusion-models#latent-diffusion": "rubric",
    "transformers-llms/diffusion-models#distillation": "rubric",
    "transformers-llms/fine-tuning-peft#peft-memory": "rubric",
    "transformers-llms/fine-tuning-peft#lora-formula": "rubric",
    "transformers-llms/fine-tuning-peft#lora-merge-serving": "rubric",
    "transformers-llms/fine-tuning-peft#qlora": "rubric",
    "transformers-llms/fine-tuning-peft#prompt-prefix-adapters": "rubric",
    "transformers-llms/fine-tuning-peft#sft-loss-masking": "rubric",
    "transformers-llms/fine-tuning-peft#catastrophic-forgetting": "rubric",
    "transformers-llms/positional-encodings#why-positions": "rubric",
    "transformers-llms/positional-encodings#sinusoidal": "rubric",
    "transformers-llms/positional-encodings#relative-bias": "rubric",
    "transformers-llms/positional-encodings#rope": "rubric",
    "transformers-llms/positional-encodings#context-extension": "rubric",
    "transformers-llms/pretraining-objectives#causal-lm": "rubric",
    "transformers-llms/pretraining-objectives#mlm-8010": "rubric",
    "transformers-llms/pretraining-objectives#electra": "rubric",
    "transformers-llms/pretraining-objectives#span-corruption": "rubric",
    "transformers-llms/pretraining-objectives#data-curation": "rubric",
    "transformers-llms/rlhf-alignment#rlhf-pipeline": "rubric",
    "transformers-llms/rlhf-alignment#bt-loss": "rubric",
    "transformers-llms/rlhf-alignment#ppo-kl": "rubric",
    "transformers-llms/rlhf-alignment#dpo-derivation": "rubric",
    "transformers-llms/rlhf-alignment#dpo-pitfalls": "rubric",
    "transformers-llms/rlhf-alignment#rlaif-cai": "rubric",
    "transformers-llms/rlhf-alignment#grpo": "rubric",
    "transformers-llms/scaling-laws#kaplan": "rubric",
    "transformers-llms/scaling-laws#chinchilla": "rubric",
    "transformers-llms/scaling-laws#kaplan-vs-chinchilla": "rubric",
    "transformers-llms/scaling-laws#data-constrained": "rubric",
    "transformers-llms/scaling-laws#emergence": "rubric",
    "transformers-llms/scaling-laws#loss-to-downstream": "rubric",
    "transformers-llms/tokenisation#why-subwords": "rubric",
    "transformers-llms/tokenisation#bpe-algorithm": "rubric",
    "transformers-llms/tokenisation#sentencepiece-unigram": "rubric",
    "transformers-llms/tokenisation#artefacts": "rubric",
    "transformers-llms/tokenisation#special-tokens-chat": "rubric",
}


def bundled_kinds() -> dict[str, str]:
    root = ROOT / "decks"
    kinds: dict[str, str] = {}
    for path in iter_deck_files(root):
        parsed = load_deck_file(path, root, bundled=True)
        assert [d for d in parsed.diagnostics if d.severity == "error"] == [], parsed.diagnostics
        assert parsed.deck is not None
        kinds.update((card.id, card.kind.value) for card in parsed.deck.cards)
    return kinds


def test_every_bundled_card_keeps_its_id_and_kind_except_the_converted() -> None:
    """`fixtures/bundled-card-kinds.json` is every bundled card as the parser before issue 10 read it.

    Every card there still exists with its id (decks only grow; a card is never renamed) and keeps
    its kind but for the deliberate conversions; cards added since are new and not compared."""
    before = json.loads((ROOT / "tests" / "fixtures" / "bundled-card-kinds.json").read_text())
    after = bundled_kinds()
    assert set(before) <= set(after)
    changed = {card_id: after[card_id] for card_id in before if before[card_id] != after[card_id]}
    assert changed == CONVERTED
    assert {"numeric", "multi", "rubric"} <= set(after.values())


def test_converted_bundled_cards_grade_their_own_model_answer() -> None:
    """Each converted card's numbers were recomputed; its own value must grade as right."""
    root = ROOT / "decks"
    cards = {
        card.id: card
        for path in iter_deck_files(root)
        if (deck := load_deck_file(path, root, bundled=True).deck) is not None
        for card in deck.cards
    }
    memory = cards["llm-systems/quantisation#memory-70b"].numeric
    assert memory is not None and memory.seconds == 90
    assert grade_numeric(read_number("37 GB", memory), memory) == 5
    assert grade_numeric(read_number("35", memory), memory) == 3  # weights alone, no scales
    assert grade_numeric(read_number("17.5", memory), memory) == 1
    kv = cards["llm-systems/kv-cache-and-memory#kv-gqa-numeric"].numeric
    assert kv is not None
    per_token = 2 * 32 * 8 * 128 * 2  # K and V · layers · KV heads · head_dim · bf16 bytes
    assert grade_numeric(read_number(f"{per_token * 8192} B", kv), kv) == 5
    assert grade_numeric(read_number("1.07 GB", kv), kv) == 5
    assert grade_numeric(read_number("4", kv), kv) == 1  # the MHA slip
    params = cards["llm-systems/kv-cache-and-memory#param-count-numeric"].numeric
    assert params is not None
    assert grade_numeric(read_number(str(12 * 24 * 2048**2 + 50_257 * 2048), params), params) == 5
    assert grade_numeric(read_number("0.4B", params), params) == 1
