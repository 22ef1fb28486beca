"""URL canonicalisation on real-looking French press URLs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.dedup.urls import canonicalize_url, registered_domain, same_registered_domain

LEMONDE = (
    "https://www.lemonde.fr/pixels/article/2024/02/26/"
    "mistral-ai-lance-mistral-large_6218632_4408996.html"
)


@pytest.mark.parametrize(
    "variant",
    [
        LEMONDE,
        LEMONDE + "?utm_source=twitter&utm_medium=social&utm_campaign=echobox",
        LEMONDE + "?xtor=RSS-3208",
        LEMONDE + "#xtor=CS1-31",
        LEMONDE + "?at_medium=Social&at_campaign=Facebook&fbclid=IwAR0abc",
        LEMONDE + "?lmd_medium=al&lmd_campaign=envoye-par-appli&lmd_creation=ios",
        LEMONDE + "/",
        "HTTPS://WWW.LEMONDE.FR:443/pixels/article/2024/02/26/"
        "mistral-ai-lance-mistral-large_6218632_4408996.html",
        "https://www.lemonde.fr/amp/pixels/article/2024/02/26/"
        "mistral-ai-lance-mistral-large_6218632_4408996.html",
        "  " + LEMONDE + "?gclid=Cj0KCQ&outputType=amp  ",
    ],
)
def test_variants_of_one_article_share_one_canonical_url(variant: str) -> None:
    assert canonicalize_url(variant) == LEMONDE


def test_query_is_sorted_and_meaningful_parameters_kept() -> None:
    url = "https://www.bfmtv.com/tech/recherche.html?q=mistral&page=2&utm_source=rss"
    assert canonicalize_url(url) == "https://www.bfmtv.com/tech/recherche.html?page=2&q=mistral"


def test_default_port_dropped_other_port_kept() -> None:
    assert canonicalize_url("http://www.lesechos.fr:80/tech") == "http://www.lesechos.fr/tech"
    assert canonicalize_url("http://127.0.0.1:8000/a/") == "http://127.0.0.1:8000/a"


def test_root_keeps_its_slash() -> None:
    assert canonicalize_url("https://www.lefigaro.fr") == "https://www.lefigaro.fr/"
    assert canonicalize_url("https://www.lefigaro.fr/") == "https://www.lefigaro.fr/"


def test_mobile_and_amp_hosts_read_as_www() -> None:
    assert (
        canonicalize_url("https://m.20minutes.fr/high-tech/4078062-mistral-ai/amp")
        == "https://www.20minutes.fr/high-tech/4078062-mistral-ai"
    )
    assert (
        canonicalize_url("https://amp.lefigaro.fr/secteur/high-tech/mistral-ai-20240226.amp.html")
        == "https://www.lefigaro.fr/secteur/high-tech/mistral-ai-20240226.html"
    )


def test_canonical_link_on_same_site_wins() -> None:
    page = "https://amp.lefigaro.fr/secteur/high-tech/mistral.php?utm_source=x"
    assert (
        canonicalize_url(page, "https://www.lefigaro.fr/secteur/high-tech/mistral-ai-20240226")
        == "https://www.lefigaro.fr/secteur/high-tech/mistral-ai-20240226"
    )
    assert canonicalize_url(
        page, "/secteur/high-tech/mistral-ai-20240226/"
    ) == "https://amp.lefigaro.fr/secteur/high-tech/mistral-ai-20240226".replace("amp.", "www.")


def test_canonical_link_on_another_site_is_ignored() -> None:
    page = "https://www.boursorama.com/actualite-economique/mistral-ai-leve-600-m-abc?utm_source=x"
    assert (
        canonicalize_url(page, "https://www.afp.com/fr/mistral-ai-leve-600-m")
        == "https://www.boursorama.com/actualite-economique/mistral-ai-leve-600-m-abc"
    )
    assert canonicalize_url(LEMONDE, "javascript:void(0)") == LEMONDE
    assert canonicalize_url(LEMONDE, "   ") == LEMONDE


def test_percent_escapes_upper_cased() -> None:
    assert canonicalize_url("https://www.x.fr/caf%e9") == canonicalize_url(
        "https://www.x.fr/caf%E9"
    )


@pytest.mark.parametrize("bad", ["", "ftp://x.fr/a", "mailto:a@b.fr", "/relative/path", "http://"])
def test_non_http_urls_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(bad)


def test_registered_domain() -> None:
    assert registered_domain("https://amp.lefigaro.fr/x") == "lefigaro.fr"
    assert registered_domain("https://www.bbc.co.uk/news") == "bbc.co.uk"
    assert registered_domain("http://127.0.0.1:8000/") is None
    assert same_registered_domain("https://m.lemonde.fr/a", "https://www.lemonde.fr/b")
    assert not same_registered_domain("https://www.lemonde.fr/a", "https://www.lefigaro.fr/a")
    assert same_registered_domain("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    assert not same_registered_domain("http://127.0.0.1/a", "http://localhost/b")


_segment = st.text(alphabet="abcdefgh-_.é%2AF", min_size=1, max_size=8)
_urls = st.builds(
    lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}/{path}{query}{frag}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["www.lemonde.fr", "M.Lefigaro.fr", "amp.lesechos.fr", "127.0.0.1"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(_segment, max_size=4).map("/".join),
    st.lists(
        st.tuples(st.sampled_from(["utm_source", "q", "page", "at_medium", "id", "amp"]), _segment),
        max_size=4,
    ).map(lambda pairs: ("?" + "&".join(f"{k}={v}" for k, v in pairs)) if pairs else ""),
    st.sampled_from(["", "#xtor=CS1", "#top"]),
)


@given(_urls)
def test_canonicalize_url_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
