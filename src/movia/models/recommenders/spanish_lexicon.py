"""A small Spanish → English lexicon for cold-start queries (genres and common film keywords).

The bundled sentence encoder (MiniLM) is English-only: a Spanish sentence and its English
translation land far apart (cosine ≈ 0.17). Rather than ship a translation model, Spanish free
text is mapped word by word onto the English words MovieLens genres, tags and TMDB overviews
use ("terror" → "horror", "fantasmas" → "ghosts"), function words are dropped, and anything
else (names, cognates) is kept as typed. This covers how people describe what they want to see;
it does not translate prose, and docs/recommendation.md reports how much it recovers.
"""

from __future__ import annotations

import re
import unicodedata

GENRES_ES = {
    "accion": "Action",
    "aventura": "Adventure",
    "aventuras": "Adventure",
    "animacion": "Animation",
    "animada": "Animation",
    "dibujos": "Animation",
    "infantil": "Children",
    "infantiles": "Children",
    "ninos": "Children",
    "comedia": "Comedy",
    "comedias": "Comedy",
    "crimen": "Crime",
    "policiaca": "Crime",
    "documental": "Documentary",
    "documentales": "Documentary",
    "drama": "Drama",
    "dramas": "Drama",
    "fantasia": "Fantasy",
    "terror": "Horror",
    "miedo": "Horror",
    "musical": "Musical",
    "musicales": "Musical",
    "misterio": "Mystery",
    "romance": "Romance",
    "romantica": "Romance",
    "romanticas": "Romance",
    "ciencia": "Sci-Fi",
    "ficcion": "Sci-Fi",
    "suspense": "Thriller",
    "suspenso": "Thriller",
    "thriller": "Thriller",
    "guerra": "War",
    "belica": "War",
    "oeste": "Western",
    "vaqueros": "Western",
    "western": "Western",
}
"""Accent-free Spanish word → MovieLens genre."""

WORDS_ES = {
    "cine": "film",
    "negro": "black",
    "pelicula": "movie",
    "peliculas": "movies",
    "peli": "movie",
    "divertida": "funny",
    "divertido": "funny",
    "graciosa": "funny",
    "risa": "laugh",
    "reir": "laugh",
    "triste": "sad",
    "llorar": "cry",
    "emocionante": "exciting",
    "miedo": "scary",
    "aterradora": "scary",
    "fantasmas": "ghosts",
    "fantasma": "ghost",
    "casa": "house",
    "encantada": "haunted",
    "zombis": "zombies",
    "zombies": "zombies",
    "vampiros": "vampires",
    "monstruos": "monsters",
    "asesino": "killer",
    "asesinato": "murder",
    "detective": "detective",
    "policia": "police",
    "robo": "heist",
    "banco": "bank",
    "mafia": "mafia",
    "gangsters": "gangsters",
    "espacio": "space",
    "espacial": "space",
    "nave": "spaceship",
    "naves": "spaceships",
    "espaciales": "space",
    "extraterrestres": "aliens",
    "alienigenas": "aliens",
    "robots": "robots",
    "futuro": "future",
    "viaje": "journey",
    "tiempo": "time",
    "amor": "love",
    "enamorados": "lovers",
    "boda": "wedding",
    "familia": "family",
    "amistad": "friendship",
    "amigos": "friends",
    "perro": "dog",
    "perros": "dogs",
    "gato": "cat",
    "animales": "animals",
    "princesa": "princess",
    "magia": "magic",
    "magos": "wizards",
    "dragones": "dragons",
    "superheroes": "superheroes",
    "heroe": "hero",
    "batalla": "battle",
    "soldados": "soldiers",
    "segunda": "second",
    "mundial": "world",
    "historia": "story",
    "historica": "historical",
    "real": "true",
    "basada": "based",
    "hechos": "events",
    "musica": "music",
    "baile": "dance",
    "deporte": "sport",
    "futbol": "soccer",
    "boxeo": "boxing",
    "carceles": "prison",
    "carcel": "prison",
    "prision": "prison",
    "escape": "escape",
    "venganza": "revenge",
    "juicio": "trial",
    "abogado": "lawyer",
    "escuela": "school",
    "instituto": "high school",
    "adolescentes": "teenagers",
    "navidad": "christmas",
    "mar": "sea",
    "isla": "island",
    "selva": "jungle",
    "desierto": "desert",
    "ciudad": "city",
    "nueva": "new",
    "york": "york",
    "clasica": "classic",
    "clasico": "classic",
    "antigua": "old",
    "buena": "good",
    "bueno": "good",
    "mejor": "best",
    "oscuro": "dark",
    "oscura": "dark",
    "violenta": "violent",
    "sangre": "gore",
    "tiburon": "shark",
    "dinosaurios": "dinosaurs",
    "piratas": "pirates",
    "tesoro": "treasure",
    "espias": "spies",
    "espia": "spy",
    "conspiracion": "conspiracy",
    "politica": "politics",
    "presidente": "president",
    "drogas": "drugs",
    "coches": "cars",
    "carreras": "racing",
}
"""Accent-free Spanish word → English keyword (genre words map to their genre's English name)."""

FUNCTION_WORDS_ES = frozenset(
    "el la los las un una unos unas de del al y o que en con sin por para sobre entre "
    "me te se mi mis tu tus su sus lo le les nos es son ser estar esta este esto estos "
    "estas ese esa muy mas pero como cuando donde quiero quisiera busco ver algo alguna "
    "algun gusta gustan encanta encantan favor hay tenga tengan sea".split()
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def translate_query(text: str) -> tuple[str, list[str]]:
    """Map a Spanish request onto English keywords, and pick out the genres it names.

    Returns:
        ``(english_text, genres)``: the words as an English keyword string (unknown words
        kept, Spanish function words dropped), and MovieLens genres named in the text.
    """
    words = [strip_accents(word) for word in _WORD.findall(text)]
    english, genres = [], []
    for word in words:
        if word in GENRES_ES:
            genres.append(GENRES_ES[word])
        if word in WORDS_ES:
            english.append(WORDS_ES[word])
        elif word in GENRES_ES:
            english.append(GENRES_ES[word].lower())
        elif word not in FUNCTION_WORDS_ES:
            english.append(word)
    if "cine negro" in " ".join(words):
        genres.append("Film-Noir")
        english.append("film noir")
    # "ciencia ficción" gives "sci-fi" twice: keep the first of repeated words.
    deduplicated = [w for i, w in enumerate(english) if w not in english[:i]]
    return " ".join(deduplicated), sorted(set(genres))
