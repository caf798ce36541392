"""The registry of data sources MovIA can fetch: where each lives, what it weighs, who owns it.

Each source lands in ``data/01_raw/<folder>/`` with the same layout as a data mirror
(``MOVIA_DATA_MIRROR``, e.g. ``../shared/data``), so the catalog reads one path whichever way the
files arrived. Archive checksums come from the publishers or from TensorFlow Datasets'
``url_checksums`` (MovieLens, aclImdb); file checksums are those of the reference copies listed in
each source's provenance notes. A file that MovIA builds from a download (``prepare``) has no fixed
checksum after a download, because compression output varies; its source archive is checked instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from movia.errors import ConfigError

Unpack = Literal["zip", "tar.gz"]


@dataclass(frozen=True)
class Download:
    """One file to fetch from the web.

    Attributes:
        url: The canonical address.
        sha256: Expected digest of the downloaded bytes.
        size: Expected size in bytes, or ``None`` where the publisher gives none.
        unpack: Archive format to unpack, or ``None`` for a plain file.
        target: For a plain file, where it goes inside the source folder.
    """

    url: str
    sha256: str
    size: int | None = None
    unpack: Unpack | None = None
    target: str | None = None

    @property
    def filename(self) -> str:
        """The last part of the URL: the name of the cached download."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class LayoutFile:
    """A file of a source's folder.

    Attributes:
        path: Relative to the source folder.
        sha256: The reference (mirror) copy's digest, if fixed.
        built: MovIA builds this file from a download (``prepare``); its bytes then differ from
            the reference copy, so only mirror copies are checked against ``sha256``.
    """

    path: str
    sha256: str | None = None
    built: bool = False


@dataclass(frozen=True)
class Source:
    """A dataset MovIA knows how to obtain.

    Attributes:
        name: The CLI name (``movia fetch-data --dataset NAME``).
        folder: Folder under ``data/01_raw`` and under a mirror.
        title: Human-readable name.
        licence: The terms, in short; printed before every fetch.
        citation: What to cite.
        redistributable: Whether the licence lets anyone pass the files on.
        files: The layout a fetched source must have.
        downloads: What to fetch from the web (empty: manual or mirror only).
        prepare: Name of the function in :mod:`movia.datasets.prepare` that turns the unpacked
            downloads into ``files``; ``None`` when downloads already have the layout.
        requires: Sources that must be fetched first (``prepare`` reads them).
        manual: How to get the data when there is no public URL.
        approx_size: Rough download size, for the progress message.
    """

    name: str
    folder: str
    title: str
    licence: str
    citation: str
    redistributable: bool
    files: tuple[LayoutFile, ...]
    downloads: tuple[Download, ...] = ()
    prepare: str | None = None
    requires: tuple[str, ...] = ()
    manual: str | None = None
    approx_size: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


_GROUPLENS_TERMS = (
    "GroupLens research licence: non-commercial research use, acknowledge the dataset, no "
    "endorsement implied"
)
_GROUPLENS_CITATION = (
    "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context. "
    "ACM TiiS 5(4): 19. https://doi.org/10.1145/2827872"
)
_MAAS_CITATION = (
    "Andrew L. Maas, Raymond E. Daly, Peter T. Pham, Dan Huang, Andrew Y. Ng, Christopher Potts. "
    "2011. Learning Word Vectors for Sentiment Analysis. ACL-HLT 2011, pp. 142-150."
)
_GL = "https://files.grouplens.org/datasets/movielens"
_UD = "https://raw.githubusercontent.com/UniversalDependencies"

SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source(
            name="ml-latest-small",
            folder="movielens/ml-latest-small",
            title="MovieLens latest-small (100,836 ratings, 610 users, 9,742 movies)",
            licence=_GROUPLENS_TERMS + "; redistribution allowed under the same terms",
            citation=_GROUPLENS_CITATION,
            redistributable=True,
            files=(
                LayoutFile(
                    "ratings.csv",
                    "80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8",
                ),
                LayoutFile(
                    "movies.csv",
                    "c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc",
                ),
                LayoutFile(
                    "tags.csv",
                    "68eec00a0820c2faa8863a6df7032f13d5899a4462bce9a97213905297ff3d34",
                ),
                LayoutFile(
                    "links.csv",
                    "028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d",
                ),
                LayoutFile(
                    "README.txt",
                    "63d22ac138e80fae37021797ed8e1b9424b5239dc576a137422adf783ae3f404",
                ),
            ),
            downloads=(
                Download(
                    f"{_GL}/ml-latest-small.zip",
                    "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
                    978202,
                    unpack="zip",
                ),
            ),
            prepare="lift_single_folder",
            approx_size="1 MB",
            tags=("default",),
        ),
        Source(
            name="ml-100k",
            folder="movielens/ml-100k",
            title="MovieLens 100K (100,000 ratings, 943 users, 1,682 movies; u.item is Latin-1)",
            licence=_GROUPLENS_TERMS
            + "; you may NOT redistribute the data without permission",
            citation=_GROUPLENS_CITATION,
            redistributable=False,
            files=(
                LayoutFile(
                    "u.data",
                    "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
                ),
                LayoutFile(
                    "u.item",
                    "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
                ),
                LayoutFile(
                    "u.user",
                    "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c",
                ),
                LayoutFile(
                    "u.genre",
                    "9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb",
                ),
                LayoutFile(
                    "u.occupation",
                    "cd5fbec9afe345d993a62fc7817df1a4a9079c4feb267b3118763b8fd942137d",
                ),
                LayoutFile(
                    "u.info",
                    "5b0a40b2e47a729ee6203063f6dcf8790c2e63f5a18663e6ee318a72c5f3c27b",
                ),
                LayoutFile(
                    "README",
                    "4883b8cf340ed0059971b33f56ad3adc88a40792108ebca3d24aafc4c82e8b52",
                ),
            ),
            downloads=(
                Download(
                    f"{_GL}/ml-100k.zip",
                    "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
                    4924029,
                    unpack="zip",
                ),
            ),
            prepare="lift_single_folder",
            approx_size="5 MB",
            tags=("benchmark",),
        ),
        Source(
            name="ml-1m",
            folder="movielens/ml-1m",
            title="MovieLens 1M (1,000,209 ratings, 6,040 users, 3,706 movies)",
            licence=_GROUPLENS_TERMS
            + "; you may NOT redistribute the data without permission",
            citation=_GROUPLENS_CITATION,
            redistributable=False,
            files=(
                LayoutFile("ratings.dat"),
                LayoutFile("movies.dat"),
                LayoutFile("users.dat"),
                LayoutFile("README"),
            ),
            downloads=(
                Download(
                    f"{_GL}/ml-1m.zip",
                    "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
                    5917549,
                    unpack="zip",
                ),
            ),
            prepare="lift_single_folder",
            approx_size="6 MB",
        ),
        Source(
            name="ml-25m",
            folder="movielens/ml-25m",
            title="MovieLens 25M (25,000,095 ratings, 162,541 users, 62,423 movies)",
            licence=_GROUPLENS_TERMS
            + "; you may NOT redistribute the data without permission",
            citation=_GROUPLENS_CITATION,
            redistributable=False,
            files=(
                LayoutFile("ratings.csv"),
                LayoutFile("movies.csv"),
                LayoutFile("tags.csv"),
                LayoutFile("links.csv"),
                LayoutFile("genome-scores.csv"),
                LayoutFile("genome-tags.csv"),
                LayoutFile("README.txt"),
            ),
            downloads=(
                Download(
                    f"{_GL}/ml-25m.zip",
                    "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
                    261978986,
                    unpack="zip",
                ),
            ),
            prepare="lift_single_folder",
            approx_size="262 MB",
        ),
        Source(
            name="imdb",
            folder="imdb_aclImdb",
            title="Stanford Large Movie Review Dataset (aclImdb v1: 50k labelled + 50k unlabelled)",
            licence="No explicit licence; research use, cite Maas et al. (ACL 2011)",
            citation=_MAAS_CITATION,
            redistributable=False,
            files=(
                LayoutFile(
                    "imdb_reviews_labeled.csv.gz",
                    "df2d74b7815449f36b39250a0bcbe52143edac1a006028a6e617bce41cc3d32b",
                    built=True,
                ),
                LayoutFile(
                    "imdb_reviews_unsup.csv.gz",
                    "8437013debcd08758055d9cde630e37e63e7f7dba6e6259dd402ced95cd219c7",
                    built=True,
                ),
                LayoutFile(
                    "aclImdb/README",
                    "8997da3508dfb0d2274dce886966cf353f32e62c504b9504102e8a8bcf3eb034",
                ),
                LayoutFile(
                    "aclImdb/imdb.vocab",
                    "01a13a306bd9e5a7826b8a0fc25a7a6017f143d86c1582f17857bb731fd252dc",
                ),
                LayoutFile(
                    "aclImdb/imdbEr.txt",
                    "8ddc38d79d90b135b530cc698266447420f93f95803453663c8fdc62946d07e2",
                ),
                LayoutFile(
                    "aclImdb/train/urls_pos.txt",
                    "148e7459575b2a9552cf6b32cbca4551b37e9ec8f12206f34c3bf1d7cc0d5fd5",
                ),
                LayoutFile(
                    "aclImdb/train/urls_neg.txt",
                    "98bf56e2a70fc12574a08d4c5644ca867b5b329990a84d1b9c414632398af543",
                ),
                LayoutFile(
                    "aclImdb/train/urls_unsup.txt",
                    "407b53030460107ba7bbe6b944036162f7568442acfe215aa795a8699920b9bd",
                ),
                LayoutFile(
                    "aclImdb/test/urls_pos.txt",
                    "ff396baae9f401e72aadfae749f37278860e8828341c52d6f127b428b8a425ac",
                ),
                LayoutFile(
                    "aclImdb/test/urls_neg.txt",
                    "7f1621175039af04f0e0cfdf9d48a5fecfc06b485ece84370f1ae7fbc681ef12",
                ),
            ),
            downloads=(
                Download(
                    "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
                    "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
                    84125825,
                    unpack="tar.gz",
                ),
            ),
            prepare="build_aclimdb_tables",
            approx_size="84 MB",
            tags=("default",),
        ),
        Source(
            name="spanish-imdb",
            folder="spanish_reviews_imdb_es",
            title="2,000 machine-translated Spanish IMDB reviews, linked to their aclImdb originals",
            licence="None stated (Kaggle luisdiegofv97 translation of Maas et al. 2011); research use",
            citation=_MAAS_CITATION,
            redistributable=False,
            files=(
                LayoutFile(
                    "imdb_es_reviews.csv.gz",
                    "88842a1d7500a31b2cb8d281d28f9554a376871e67368923685f1327d559ef4d",
                    built=True,
                ),
            ),
            downloads=(
                Download(
                    "https://raw.githubusercontent.com/Meshal6299/multilingual-movie-reviews-NLP/"
                    "bd5cda323a65f943cbc9f374b4ea8bdccfc99718/data/raw/sampled_imdb_es.csv",
                    "57ad6e213419d4b74a79f6ddd3ae1f08ddfee6684ccd79e365a855eaa9d29d25",
                    2861175,
                    target="sampled_imdb_es.csv",
                ),
                Download(
                    "https://raw.githubusercontent.com/Meshal6299/multilingual-movie-reviews-NLP/"
                    "bd5cda323a65f943cbc9f374b4ea8bdccfc99718/data/raw/sampled_imdb_en.csv",
                    "e981fcd472f5eb15781e7d455ea0765b087a0128fdda736fcdd7e8993d3d1ade",
                    target="sampled_imdb_en.csv",
                ),
            ),
            prepare="link_spanish_imdb_sample",
            requires=("imdb",),
            approx_size="5 MB",
            tags=("default",),
        ),
        Source(
            name="sfu-spanish",
            folder="spanish_reviews_sfu",
            title="SFU Spanish Review Corpus (400 Ciao.es reviews, 50 about movies)",
            licence="Copyright Julian Brooke, SFU; no explicit licence; research use with attribution",
            citation=(
                "J. Brooke, M. Tofiloski, M. Taboada. 2009. Cross-Linguistic Sentiment Analysis: "
                "From English to Spanish. RANLP 2009."
            ),
            redistributable=False,
            files=(
                LayoutFile(
                    "sfu_spanish_reviews.csv.gz",
                    "ca64bbb260c0e1c685c415df6634972e3d5e92e81c20dba8fb9f73e3d05911f0",
                ),
            ),
            manual=(
                "The SFU Spanish Review Corpus has no stable download URL. Get it from "
                "http://www.sfu.ca/~mtaboada/research/SFU_Review_Corpus.html, then either point "
                "MOVIA_DATA_MIRROR at a folder holding spanish_reviews_sfu/sfu_spanish_reviews.csv.gz "
                "(columns domain,label,stars,source_file,text; see docs/data.md) or skip it: the "
                "pipelines run without it."
            ),
            approx_size="0.4 MB",
            tags=("default", "optional"),
        ),
        Source(
            name="tmdb",
            folder="tmdb_overviews",
            title="TMDB 5000 movie overviews, taglines, genres and keywords",
            licence="TMDB-derived (Kaggle 'TMDB 5000 Movie Dataset'); research use, credit TMDB",
            citation="This product uses the TMDB API but is not endorsed or certified by TMDB.",
            redistributable=False,
            files=(
                LayoutFile(
                    "movie_overviews.csv.gz",
                    "f0fcdfcb74b8a85deecbce72b6d2020b5776e39bb77fd87ef1b381dcf8ad2321",
                    built=True,
                ),
            ),
            downloads=(
                Download(
                    "https://raw.githubusercontent.com/Harsh4222/content-based-movie-recommendation-system/"
                    "8d227a41095d1a26de9e678be6159e0da839e7f8/tmdb_5000_movies.csv.zip",
                    "7873dff183e147a77649c9826fa092cf1fbee70b211cd28cc0634eed08f7abcd",
                    1659098,
                    unpack="zip",
                ),
            ),
            prepare="build_tmdb_overviews",
            approx_size="2 MB",
            tags=("default",),
        ),
        Source(
            name="ud-spanish",
            folder="ud_spanish",
            title="Universal Dependencies Spanish test sets (GSD dev+test r2.16, PUD and COSER r2.18)",
            licence="CC BY-SA 4.0 (GSD, COSER), CC BY-SA 3.0 (PUD)",
            citation="Universal Dependencies (https://universaldependencies.org), per treebank README.",
            redistributable=True,
            files=(
                LayoutFile(
                    "UD_Spanish-GSD/es_gsd-ud-test.conllu",
                    "37612cb7cc13eab62e6f95b06504a31f252ecc56acb52a06d142bf872318b872",
                ),
                LayoutFile(
                    "UD_Spanish-GSD/es_gsd-ud-dev.conllu",
                    "d5018974cb6a4adb03435f76ac4914a388f4fc763b35b6c4a6a2dc27874b0dff",
                ),
                LayoutFile(
                    "UD_Spanish-PUD/es_pud-ud-test.conllu",
                    "48a7b5c7f409100b24eba90c7397e01f6fecaaf3207315a9a1bda029f77e98d3",
                ),
                LayoutFile(
                    "UD_Spanish-COSER/es_coser-ud-test.conllu",
                    "9bbbd54bb70ac448d6178b5446c70bef7d9285f93735a02791663872fc489fec",
                ),
            ),
            downloads=(
                Download(
                    f"{_UD}/UD_Spanish-GSD/r2.16/es_gsd-ud-test.conllu",
                    "37612cb7cc13eab62e6f95b06504a31f252ecc56acb52a06d142bf872318b872",
                    755576,
                    target="UD_Spanish-GSD/es_gsd-ud-test.conllu",
                ),
                Download(
                    f"{_UD}/UD_Spanish-GSD/r2.16/es_gsd-ud-dev.conllu",
                    "d5018974cb6a4adb03435f76ac4914a388f4fc763b35b6c4a6a2dc27874b0dff",
                    2314519,
                    target="UD_Spanish-GSD/es_gsd-ud-dev.conllu",
                ),
                Download(
                    f"{_UD}/UD_Spanish-PUD/r2.18/es_pud-ud-test.conllu",
                    "48a7b5c7f409100b24eba90c7397e01f6fecaaf3207315a9a1bda029f77e98d3",
                    1730033,
                    target="UD_Spanish-PUD/es_pud-ud-test.conllu",
                ),
                Download(
                    f"{_UD}/UD_Spanish-COSER/r2.18/es_coser-ud-test.conllu",
                    "9bbbd54bb70ac448d6178b5446c70bef7d9285f93735a02791663872fc489fec",
                    604366,
                    target="UD_Spanish-COSER/es_coser-ud-test.conllu",
                ),
            ),
            approx_size="5 MB",
            tags=("default",),
        ),
    )
}

DEFAULT_SOURCES: tuple[str, ...] = tuple(
    n for n, s in SOURCES.items() if "default" in s.tags
)


def get_source(name: str) -> Source:
    """Look a source up by name, listing the valid names when it is unknown."""
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError("dataset", name, SOURCES) from None
