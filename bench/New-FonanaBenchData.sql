-- A scaled, deterministic Fonana-shaped data set for the benchmark (bench/Invoke-FonanaBenchmark.ps1).
--
-- Run it with psql in a database made from the fonana_empty template (schema.sql applied, no rows but
-- _prisma_migrations), as the schema owner, after setting the scale:
--
--     psql -X -v ON_ERROR_STOP=1 -v scale=0.1 -h 127.0.0.1 -U fonana_user -d fonana_bench -f bench/New-FonanaBenchData.sql
--
-- Everything is generated server-side (generate_series + INSERT ... SELECT). Nothing random: every id, text, number
-- and timestamp is computed from row numbers (md5 of the row number picks the words), so two runs at the same scale
-- give the same rows. Every foreign key is valid and is checked by the server while loading: self-references
-- (users."referrerId" chains, some pointing at a user inserted later in the same statement; comments."parentId"
-- threads up to four levels deep) and the users <-> posts cycle (users."pinnedPostId" for every third creator).
-- _prisma_migrations is not touched.
--
-- Rows per 1.0 of scale (rounded; every table has a floor so tiny scales still work):
--     users 50 000 (5 000 creators)      posts 250 000 (content 1-2 KB: Cyrillic, English, emoji)
--     comments 1 000 000 (~190 B)        likes 800 000 (600 000 on posts, 200 000 on comments)
--     follows 500 000                    subscriptions 50 000
--     notifications 400 000              conversations 50 000 (_ConversationParticipants 105 000)
--     messages 300 000                   sessions 50 000, accounts 60 000, verification_tokens 5 000
-- Scale 1.0 is about 1.2 GB (1.14 GiB) of table data (pg_table_size, TOAST included) and 0.55 GB of indexes; see bench/README.md.

\if :{?scale}
\else
\set scale 1
\endif

SET client_min_messages = warning;
SET synchronous_commit = off;

BEGIN;

-- Row counts. A temp table instead of psql variables, so the SQL below reads the same at every scale.
CREATE TEMP TABLE bench_n ON COMMIT DROP AS
SELECT
    u AS users, c AS creators, p AS posts, k AS comments,
    greatest(round(600000 * s)::int, 100) AS post_likes,
    greatest(round(200000 * s)::int, 20) AS comment_likes,
    u * 10 AS follows,
    u AS subscriptions,
    greatest(round(400000 * s)::int, 50) AS notifications,
    v AS conversations,
    greatest(round(300000 * s)::int, 40) AS messages,
    u AS sessions,
    greatest(round(60000 * s)::int, 12) AS accounts,
    greatest(round(5000 * s)::int, 2) AS verification_tokens
FROM (
    SELECT s,
        greatest(round(50000 * s)::int, 200) AS u,
        greatest(round(5000 * s)::int, 20) AS c,
        greatest(round(250000 * s)::int, 100) AS p,
        greatest(round(1000000 * s)::int, 400) AS k,
        greatest(round(50000 * s)::int, 10) AS v
    FROM (SELECT (:'scale')::numeric AS s) AS given
) AS n;

DO $check$
DECLARE n record;
BEGIN
    SELECT * INTO n FROM bench_n;
    -- The formulas below rely on these (unique likes/follows per user, two distinct participants per conversation).
    IF n.creators > n.users OR n.creators > n.posts OR n.comments < n.posts OR n.creators < 12 THEN
        RAISE EXCEPTION 'this scale gives an inconsistent shape: %', n;
    END IF;
END
$check$;

-- Cuid-shaped ids (25 characters, leading 'c'), distinct from the seed's ('b' after the 'c').
CREATE FUNCTION pg_temp.uid(n bigint) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'cbu' || substr(md5('bench-user-' || n), 1, 22) $$;
CREATE FUNCTION pg_temp.pid(n bigint) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'cbp' || substr(md5('bench-post-' || n), 1, 22) $$;
CREATE FUNCTION pg_temp.cid(n bigint) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'cbc' || substr(md5('bench-comment-' || n), 1, 22) $$;
CREATE FUNCTION pg_temp.vid(n bigint) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'cbv' || substr(md5('bench-conversation-' || n), 1, 22) $$;
-- Byte b (0..15) of a row's md5: the row's "dice".
CREATE FUNCTION pg_temp.b(h bytea, i int) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT get_byte(h, i) $$;

-- 64 sentences, 60-190 bytes each, as a creator platform's posts read: Russian, English, emoji, and the characters
-- COPY text has to escape (tab, newline, backslash) in a few.
CREATE FUNCTION pg_temp.sentence(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (ARRAY[
    'Сегодня закончила новую серию иллюстраций для подписчиков уровня Premium — спасибо, что вы со мной! 🎨',
    'New drop is live: twelve high-res wallpapers, two timelapses and the layered source files for VIP fans.',
    'Работаю над анимацией уже третью неделю, осталось совсем немного, скоро покажу результат 🔥',
    'Quick reminder that the monthly Q&A stream starts on Friday at 19:00 UTC, bring your questions!',
    'Если хотите поддержать проект, подписка уровня Basic открывает доступ ко всем черновикам и скетчам.',
    'Behind the scenes: this is how the lighting setup looked for yesterday''s shoot 📸✨',
    'Всем привет! Небольшой апдейт: студия переехала, так что посты могут выходить с задержкой.',
    'Thank you for 10k followers 🙏 I never expected this little page to grow so fast.',
    'Пишу музыку по ночам, а днём свожу треки для других авторов — вот фрагмент нового бита 🎧',
    'Tutorial part 3: shading metallic surfaces with only three brushes and a soft eraser.',
    'Коллаборация с @creator042 уже на подходе: мы готовим совместный стрим и розыгрыш 🎁',
    'Poll results are in — you chose the cyberpunk city over the forest cabin, so here it is!',
    E'Список материалов:\n— бумага 300 г/м²\n— акварель «Белые ночи»\n— кисти №2 и №6',
    E'Settings I used:\tISO 400\tf/2.8\t1/250s — shot handheld, no flash.',
    'Путь к файлам для скачивания: C:\Fonana\exports\2024\ — там же лежит README с лицензией.',
    'Honest talk: burnout is real, and I am taking a short break to recharge. See you soon 💛',
    'Новый пост для подписчиков: разбор композиции и цвета на примере трёх работ из архива.',
    'Merch update — the enamel pins are back in stock and ship worldwide within five days 📦',
    'Эксклюзив для VIP: полная версия видео без цензуры и комментарий автора к каждой сцене.',
    'I rewrote the intro three times; this version finally feels right. Let me know what you think!',
    'Спасибо за донаты в прошлом стриме! Собрали на новый планшет, скоро покажу распаковку 😍',
    'Sketchbook pages from the trip to Tbilisi: markets, balconies and far too many cats 🐈',
    'Цена на заказные портреты меняется с первого числа, текущие заявки остаются по старой цене.',
    'Full 4K render of the spaceship model, 2.3 million polygons, baked in about eleven hours 🚀',
    'Рецепт дня: сырники как у бабушки, только с рикоттой и малиновым соусом 🍓',
    'Workout split for this month: push, pull, legs, rest — PDF attached for Premium members 💪',
    'Напоминаю, что личные сообщения открыты только для платных подписчиков, чтобы я успевала отвечать.',
    'Chapter 14 of the comic is up! Sorry for the delay, the inking took longer than planned.',
    'Завтра в 12:00 по Москве стартует марафон рисования — присоединяйтесь, будет весело 🖌️',
    'Here is the unedited RAW next to the final grade, so you can see what the preset really does.',
    'Отвечаю на частый вопрос: да, все работы можно печатать для личного использования.',
    'Listening party for the new EP tonight 🎶 first fifty subscribers get a signed digital copy.',
    'Маленький секрет: фон на этой картине нарисован пальцем, а не кистью 🤫',
    'Studio tour video is finally edited — 18 minutes of cables, plants and one very loud cat.',
    'Новая глава уже доступна подписчикам уровня Basic и выше, остальные увидят её через неделю.',
    'Crypto tip jar is open again (SOL, USDC). Every tip goes straight into better equipment 💸',
    'Сравнение двух объективов на одной и той же сцене — разница заметнее, чем я ожидала.',
    'Patch notes for the game mod v1.4: new maps, fixed the save bug, rebalanced the final boss.',
    'Пост без фильтров: как выглядит мой рабочий стол в пятницу вечером ☕📚',
    'Reminder: the "early bird" tier closes at midnight, after that the price goes up by 20%.',
    'Делюсь палитрой этой работы — коды цветов в комментариях, пользуйтесь на здоровье 🎨',
    'Live coding session recap: we built a tiny shader that turns any photo into a pixel mosaic.',
    'Огромное спасибо всем, кто пришёл на встречу в Казани! Фото уже в галерее.',
    'Voice memo from the train: a melody idea I could not stop humming, rough but honest.',
    'Сегодня без длинных текстов, просто красивый закат над Невой 🌅',
    'Asked 500 of you what you want next — the answer was more process videos, so here we go.',
    'Розыгрыш: три оригинальных скетча уйдут случайным подписчикам, итоги в воскресенье 🎉',
    'Color study #37, gouache on toned paper, about forty minutes from start to finish.',
    'Перевела старые уроки на новый формат: теперь каждый шаг с отдельным видео и файлом.',
    'Fan art Friday! Tag your pieces and I will feature my favourites in the next post 💜',
    'Немного статистики: за год 212 постов, 48 стримов и больше тысячи комментариев — вы лучшие.',
    'Backstage at the festival: sound check went wrong twice, the show went perfectly 🤘',
    'Важно: я никогда не прошу пароли и seed-фразы. Пишу только с этого аккаунта.',
    'Lighting cheat sheet: key at 45°, fill at half power, rim from behind — that is the whole trick.',
    E'Цитата недели: «Вдохновение — это гостья, которая не любит посещать ленивых». — П. И. Чайковский',
    'Thumbnail options A, B and C — vote in the comments, the winner goes on the final video.',
    'Экспериментирую с нейросетями для фона, но персонажей по-прежнему рисую сама ✍️',
    'Season two of the podcast starts next week with a guest I have wanted to interview for years.',
    'Спасибо за терпение: заказы из прошлой волны отправлены, трек-номера пришлют на почту.',
    'Timelapse of the mural: 3 days, 14 litres of paint, 1 very tired artist 🧱🎨',
    'Отдельное видео для тех, кто спрашивал про настройки кисти в Procreate — всё по шагам.',
    'Price drop on the preset pack this weekend only; existing buyers get the update for free.',
    'Про формат: длинные посты по вторникам, короткие заметки и фото по пятницам.',
    'Ending the week with a thank-you: this community is the reason I keep making things 💛'
])[n % 64 + 1] $$;

-- 24 short comment phrases (20-90 bytes), combined in twos and threes.
CREATE FUNCTION pg_temp.phrase(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (ARRAY[
    'Огонь! 🔥', 'Absolutely stunning work 😍', 'Как вы это делаете?!', 'Thanks for sharing the process!',
    'Жду продолжения 🙏', 'Which brush did you use here?', 'Лучший пост за неделю', 'This made my day 💛',
    'Подписалась на Premium ради этого и не жалею', 'Can you do a tutorial on the background?',
    'Цвета просто космос 🌌', 'Saved it for later, need to try this', 'А где можно купить принт?',
    'The lighting is perfect ✨', 'Спасибо за честность, держитесь 💪', 'Wow, the detail on the hands!',
    'Повторил по уроку — получилось!', 'Been following since day one, so proud 🥹', 'Это шедевр, без преувеличения',
    E'Two notes:\n1) love it\n2) more please', 'Не хватает только музыки на фоне 🎶', 'Is the file C:\art\final.psd or the RAW?',
    'Ставлю лайк не глядя 👍', 'Instant classic'
])[n % 24 + 1] $$;

-- users: 1..creators are creators, the rest fans. Every fourth user was referred by an earlier user (chains form);
-- user i with i % 101 = 50 was referred by user i + 1, inserted after it in the same statement.
INSERT INTO "users" ("id", "wallet", "email", "emailVerified", "nickname", "fullName", "bio", "avatar", "backgroundImage",
                     "website", "isVerified", "isCreator", "roles", "followersCount", "followingCount", "postsCount",
                     "settings", "referrerId", "createdAt", "updatedAt")
SELECT
    pg_temp.uid(i),
    CASE WHEN i % 4 = 0 THEN NULL ELSE translate(upper(encode(h, 'hex')) || substr(md5('wallet-' || i), 1, 12), '0', 'z') END,
    CASE WHEN i % 3 = 0 THEN NULL ELSE 'user' || i || '@fonana.test' END,
    CASE WHEN i % 3 = 1 THEN created + interval '2 hours 0.25 seconds' END,
    CASE WHEN creator THEN 'creator' || i ELSE 'fan' || i END,
    CASE pg_temp.b(h, 0) % 4
        WHEN 0 THEN (ARRAY['Анна', 'Дмитрий', 'Елена', 'Иван', 'Ольга', 'Сергей', 'Мария', 'Алексей'])[pg_temp.b(h, 1) % 8 + 1]
                    || ' ' || (ARRAY['Смирнова', 'Кузнецов', 'Попова', 'Волков', 'Соколова', 'Лебедев'])[pg_temp.b(h, 2) % 6 + 1]
        WHEN 1 THEN (ARRAY['Alex', 'Sam', 'Jordan', 'Taylor', 'Chris', 'Morgan', 'Jamie', 'Robin'])[pg_temp.b(h, 1) % 8 + 1]
                    || ' ' || (ARRAY['Smith', 'O''Brien', 'García', 'Müller', 'Nguyen', 'Kowalski'])[pg_temp.b(h, 2) % 6 + 1]
        WHEN 2 THEN 'Creator ' || i || ' ' || (ARRAY['🎨', '🔥', '🎧', '📸', '✨', '🚀'])[pg_temp.b(h, 2) % 6 + 1]
        ELSE NULL
    END,
    CASE WHEN i % 5 = 0 THEN NULL
         WHEN creator THEN pg_temp.sentence(pg_temp.b(h, 3)) || ' ' || pg_temp.sentence(pg_temp.b(h, 4))
         ELSE pg_temp.phrase(pg_temp.b(h, 3)) END,
    CASE WHEN creator OR i % 2 = 0 THEN '/uploads/avatars/' || pg_temp.uid(i) || '.webp' END,
    CASE WHEN creator AND i % 3 = 0 THEN 'https://fonana.me/uploads/backgrounds/' || pg_temp.uid(i) || '.jpg' END,
    CASE WHEN creator AND i % 7 = 0 THEN 'https://creator' || i || '.example.com' END,
    creator AND i % 4 = 0,
    creator,
    CASE WHEN i = 1 THEN ARRAY['USER', 'CREATOR', 'ADMIN']::"UserRole"[]
         WHEN i % 997 = 0 THEN ARRAY['USER', 'MODERATOR']::"UserRole"[]
         WHEN creator THEN ARRAY['USER', 'CREATOR']::"UserRole"[]
         ELSE ARRAY['USER']::"UserRole"[] END,
    -- followersCount and likes/comments counters are plausible, not recomputed (that would rewrite whole tables).
    CASE WHEN creator THEN pg_temp.b(h, 5) * 40 + i % 37 ELSE pg_temp.b(h, 5) % 12 END,
    10,
    -- Exact: posts go round-robin over the creators (post j belongs to creator ((j - 1) % creators) + 1).
    CASE WHEN creator THEN (n.posts - i) / n.creators + 1 ELSE 0 END,
    CASE i % 4
        WHEN 0 THEN jsonb_build_object('theme', 'dark', 'locale', CASE WHEN i % 8 = 0 THEN 'ru' ELSE 'en' END,
            'notifications', jsonb_build_object('email', true, 'push', jsonb_build_object('likes', true, 'comments', i % 3 = 0)))
        WHEN 1 THEN jsonb_build_object('theme', 'light', 'tipPresets', jsonb_build_array(0.1, 0.5, 1.25))
    END,
    CASE WHEN i % 101 = 50 AND i < n.users THEN pg_temp.uid(i + 1)
         WHEN i % 4 = 0 THEN pg_temp.uid((i * 7) % (i - 1) + 1) END,
    created,
    created + (i % 4) * interval '3 days 0.5 seconds'
FROM bench_n AS n,
     LATERAL (SELECT i, i <= n.creators AS creator, decode(md5('bench-user-h' || i), 'hex') AS h,
                     timestamp '2023-06-01 08:00:00' + i * interval '7 minutes 13.123 seconds' AS created
              FROM generate_series(1, n.users) AS i) AS u;

-- posts: content is 8-16 sentences (1-2 KB), one in five has a paid tier, media on three in four.
INSERT INTO "posts" ("id", "creatorId", "title", "content", "type", "mediaUrl", "thumbnail", "aspectRatio", "isLocked",
                     "isPremium", "price", "currency", "tags", "likesCount", "commentsCount", "viewsCount", "metadata",
                     "createdAt", "updatedAt", "minSubscriptionTier")
SELECT
    pg_temp.pid(j),
    pg_temp.uid((j - 1) % n.creators + 1),
    CASE WHEN j % 7 = 0 THEN 'Задача №' || j || ': ' || left(pg_temp.sentence(pg_temp.b(h, 15)), 40)
         ELSE left(pg_temp.sentence(pg_temp.b(h, 14)), 30 + pg_temp.b(h, 13) % 40) END,
    array_to_string((ARRAY[
        pg_temp.sentence(pg_temp.b(h, 0)), pg_temp.sentence(pg_temp.b(h, 1)), pg_temp.sentence(pg_temp.b(h, 2)),
        pg_temp.sentence(pg_temp.b(h, 3)), pg_temp.sentence(pg_temp.b(h, 4)), pg_temp.sentence(pg_temp.b(h, 5)),
        pg_temp.sentence(pg_temp.b(h, 6)), pg_temp.sentence(pg_temp.b(h, 7)), pg_temp.sentence(pg_temp.b(h, 8)),
        pg_temp.sentence(pg_temp.b(h, 9)), pg_temp.sentence(pg_temp.b(h, 10)), pg_temp.sentence(pg_temp.b(h, 11)),
        pg_temp.sentence(pg_temp.b(h, 12)), pg_temp.sentence(pg_temp.b(h, 13)), pg_temp.sentence(pg_temp.b(h, 14)),
        pg_temp.sentence(pg_temp.b(h, 15))])[1:8 + pg_temp.b(h, 0) % 9], ' ')
        || E'\n\n#' || substr(encode(h, 'hex'), 1, 8) || ' #fonana',
    (ARRAY['TEXT', 'IMAGE', 'VIDEO', 'AUDIO'])[j % 4 + 1]::"PostType",
    CASE j % 4
        WHEN 1 THEN 'https://fonana.me/uploads/posts/' || pg_temp.pid(j) || '.jpg'
        WHEN 2 THEN 'https://fonana.me/uploads/posts/' || pg_temp.pid(j) || '.mp4'
        WHEN 3 THEN '/uploads/audio/' || pg_temp.pid(j) || '.mp3'
    END,
    CASE WHEN j % 4 = 2 THEN '/uploads/posts/thumbs/' || pg_temp.pid(j) || '.webp' END,
    CASE WHEN j % 4 = 1 THEN (ARRAY[1.0, 0.8, 16.0 / 9.0]::double precision[])[j % 3 + 1] END,
    j % 5 = 0,
    j % 10 = 0,
    CASE WHEN j % 9 = 0 THEN round(pg_temp.b(h, 4) * 0.37, 2) END,
    CASE WHEN j % 18 = 0 THEN 'USDC' ELSE 'SOL' END,
    CASE j % 6
        WHEN 0 THEN NULL
        WHEN 1 THEN '{}'::text[]
        WHEN 2 THEN ARRAY['art', 'digital', 'process']
        WHEN 3 THEN ARRAY['искусство', '🎨', 'скетч']
        WHEN 4 THEN ARRAY['music', 'beat "demo"', 'lo-fi, chill']
        ELSE ARRAY['photo', NULL, 'travel']
    END,
    pg_temp.b(h, 6) % 40,
    pg_temp.b(h, 7) % 12,
    (j * 37) % 10000,
    CASE j % 4
        WHEN 1 THEN jsonb_build_object('width', 1080, 'height', 1350,
            'exif', jsonb_build_object('camera', 'X100V', 'iso', 100 * (1 + pg_temp.b(h, 8) % 16), 'lens', jsonb_build_object('focal', 23, 'aperture', 2.0)))
        WHEN 2 THEN jsonb_build_object('durationSec', 30 + j % 600, 'codecs', jsonb_build_array('h264', 'aac'))
    END,
    created,
    created + (j % 3) * interval '1 hour 0.001 seconds',
    CASE WHEN j % 5 = 0 THEN (ARRAY['BASIC', 'PREMIUM', 'VIP'])[(j / 5) % 3 + 1]::"SubscriptionPlan" END
FROM bench_n AS n,
     LATERAL (SELECT j, decode(md5('bench-post-h' || j), 'hex') AS h,
                     timestamp '2024-01-01 10:00:00' + j * interval '97 seconds 457 milliseconds' AS created
              FROM generate_series(1, n.posts) AS j) AS p;

-- The users <-> posts cycle: every third creator pins their first post (post c belongs to creator c).
UPDATE "users" SET "pinnedPostId" = pg_temp.pid(c), "updatedAt" = "updatedAt" + interval '1 minute'
FROM bench_n AS n, generate_series(3, n.creators, 3) AS c
WHERE "users"."id" = pg_temp.uid(c);

-- comments: comment k is on post ((k - 1) % posts) + 1, so comment k - posts is on the same post; every third comment
-- past the first round answers that one (threads up to four levels deep).
INSERT INTO "comments" ("id", "postId", "userId", "parentId", "content", "likesCount", "createdAt", "updatedAt")
SELECT
    pg_temp.cid(k),
    pg_temp.pid((k - 1) % n.posts + 1),
    pg_temp.uid((k * 7) % n.users + 1),
    CASE WHEN k > n.posts AND k % 3 = 0 THEN pg_temp.cid(k - n.posts) END,
    CASE pg_temp.b(h, 0) % 4
        WHEN 0 THEN pg_temp.phrase(pg_temp.b(h, 1)) || ' ' || pg_temp.sentence(pg_temp.b(h, 3))
        WHEN 1 THEN pg_temp.sentence(pg_temp.b(h, 3)) || ' ' || pg_temp.phrase(pg_temp.b(h, 2))
        WHEN 2 THEN pg_temp.sentence(pg_temp.b(h, 3)) || ' ' || pg_temp.sentence(pg_temp.b(h, 4))
        ELSE pg_temp.phrase(pg_temp.b(h, 1)) || ' ' || pg_temp.sentence(pg_temp.b(h, 3)) || ' ' || pg_temp.phrase(pg_temp.b(h, 2))
    END,
    pg_temp.b(h, 5) % 5,
    created,
    created + (k % 4 = 0)::int * interval '5 minutes'
FROM bench_n AS n,
     LATERAL (SELECT k, decode(md5('bench-comment-h' || k), 'hex') AS h,
                     timestamp '2024-01-02 00:00:00' + k * interval '23 seconds 17 milliseconds' AS created
              FROM generate_series(1, n.comments) AS k) AS c;

-- likes on posts: like number x is user x % users liking post ((u * 7919 + r) % posts) + 1, r = x / users, so no
-- user likes a post twice (likes_userId_postId_key) as long as r < posts.
INSERT INTO "likes" ("id", "userId", "postId", "commentId", "createdAt")
SELECT
    'cbl' || substr(md5('bench-like-' || x), 1, 22),
    pg_temp.uid(x % n.users + 1),
    pg_temp.pid(((x % n.users)::bigint * 7919 + x / n.users) % n.posts + 1),
    NULL,
    timestamp '2024-01-03 00:00:00' + x * interval '19 seconds 3 milliseconds'
FROM bench_n AS n, generate_series(0, n.post_likes - 1) AS x;

-- likes on comments, the same way (likes_userId_commentId_key).
INSERT INTO "likes" ("id", "userId", "postId", "commentId", "createdAt")
SELECT
    'cbk' || substr(md5('bench-comment-like-' || x), 1, 22),
    pg_temp.uid(x % n.users + 1),
    NULL,
    pg_temp.cid(((x % n.users)::bigint * 104729 + x / n.users) % n.comments + 1),
    timestamp '2024-01-03 00:00:00' + x * interval '71 seconds 11 milliseconds'
FROM bench_n AS n, generate_series(0, n.comment_likes - 1) AS x;

-- follows: each user follows ten creators ((f + 1 + r) % creators, r = 0..9): never itself, never twice.
INSERT INTO "follows" ("id", "followerId", "followingId", "createdAt")
SELECT
    'cbf' || substr(md5('bench-follow-' || x), 1, 22),
    pg_temp.uid(x % n.users + 1),
    pg_temp.uid((x % n.users + 1 + x / n.users) % n.creators + 1),
    timestamp '2023-07-01 00:00:00' + x * interval '31 seconds 250 milliseconds'
FROM bench_n AS n, generate_series(0, n.follows - 1) AS x;

-- subscriptions: user f subscribes to creator ((f + 1) % creators) + 1 (never itself).
INSERT INTO "subscriptions" ("id", "userId", "creatorId", "plan", "price", "currency", "isActive", "startDate", "endDate",
                             "txSignature", "paymentStatus", "paymentAmount", "createdAt", "updatedAt")
SELECT
    'cbs' || substr(md5('bench-subscription-' || f), 1, 22),
    pg_temp.uid(f + 1),
    pg_temp.uid((f + 1) % n.creators + 1),
    (enum_range(NULL::"SubscriptionPlan"))[f % 4 + 1],
    (ARRAY[0, 4.99, 9.99, 24.99])[f % 4 + 1],
    CASE WHEN f % 5 = 0 THEN 'USDC' ELSE 'SOL' END,
    f % 7 <> 0,
    started,
    CASE WHEN f % 7 = 0 THEN started + interval '30 days' END,
    CASE WHEN f % 4 <> 0 THEN md5('tx-' || f) || md5('tx2-' || f) || substr(md5('tx3-' || f), 1, 24) END,
    (enum_range(NULL::"PaymentStatus"))[CASE WHEN f % 4 = 0 THEN 1 WHEN f % 29 = 0 THEN 3 ELSE 2 END],
    CASE WHEN f % 4 <> 0 THEN (f % 4) * 0.012345678912345678912345678912 + f * 0.000000001 END,
    started,
    started + interval '5.5 seconds'
FROM bench_n AS n, LATERAL (SELECT f, timestamp '2024-02-01 12:00:00' + f * interval '53 seconds' AS started
                            FROM generate_series(0, n.subscriptions - 1) AS f) AS s;

-- notifications: two in three to creators; "seq" comes from its SERIAL sequence.
INSERT INTO "notifications" ("id", "userId", "type", "title", "message", "isRead", "metadata", "createdAt", "updatedAt")
SELECT
    'cbn' || substr(md5('bench-notification-' || x), 1, 22),
    pg_temp.uid(CASE WHEN x % 3 = 0 THEN x % n.users ELSE x % n.creators END + 1),
    (enum_range(NULL::"NotificationType"))[x % 9 + 1],
    (ARRAY['Новый лайк ❤️', 'New comment on your post', 'Ответ на ваш комментарий', 'New follower 🎉',
           'Новый подписчик 💎', 'New post from a creator you support', 'Новое сообщение ✉️', 'You received a tip 💸',
           'Системное уведомление'])[x % 9 + 1],
    CASE x % 9
        WHEN 0 THEN 'fan' || (x % n.users + 1) || ' liked «' || left(pg_temp.sentence(x), 40) || '»'
        WHEN 1 THEN 'fan' || (x % n.users + 1) || ' commented: ' || pg_temp.phrase(x)
        WHEN 7 THEN 'You received ' || (x % 50) * 0.1 || ' SOL from fan' || (x % n.users + 1) || ' 🙌'
        ELSE pg_temp.phrase(x) || ' — ' || left(pg_temp.sentence(x / 3), 50)
    END,
    x % 3 <> 0,
    CASE x % 4
        WHEN 0 THEN jsonb_build_object('postId', pg_temp.pid(x % n.posts + 1),
            'actor', jsonb_build_object('id', pg_temp.uid(x % n.users + 1), 'nickname', 'fan' || (x % n.users + 1)))
        WHEN 2 THEN '{"v": 1}'::jsonb
    END,
    created,
    created + (x % 2) * interval '1 minute'
FROM bench_n AS n, LATERAL (SELECT x, timestamp '2024-03-01 00:00:00' + x * interval '13 seconds 250 milliseconds' AS created
                            FROM generate_series(0, n.notifications - 1) AS x) AS t
ORDER BY x;

-- conversations: v has users (2v % users) + 1 and (2v + 1) % users + 1; every tenth is a group with a third member.
INSERT INTO "conversations" ("id", "lastMessageAt", "createdAt", "updatedAt")
SELECT pg_temp.vid(v), created + interval '2 days', created, created + interval '2 days'
FROM bench_n AS n, LATERAL (SELECT v, timestamp '2024-02-01 00:00:00' + v * interval '3 minutes 7 seconds' AS created
                            FROM generate_series(1, n.conversations) AS v) AS c;

INSERT INTO "_ConversationParticipants" ("A", "B")
SELECT pg_temp.vid(v), pg_temp.uid(m)
FROM bench_n AS n, generate_series(1, n.conversations) AS v,
     LATERAL (VALUES ((2 * v) % n.users + 1), ((2 * v + 1) % n.users + 1),
                     (CASE WHEN v % 10 = 0 THEN (2 * v + n.users / 2) % n.users + 1 END)) AS p(m)
WHERE m IS NOT NULL;

-- messages: message x in conversation (x % conversations) + 1, sent by one of its first two participants.
INSERT INTO "messages" ("id", "conversationId", "senderId", "content", "mediaUrl", "isPaid", "price", "isRead", "metadata",
                        "createdAt", "updatedAt")
SELECT
    'cbm' || substr(md5('bench-message-' || x), 1, 22),
    pg_temp.vid(v),
    pg_temp.uid((2 * v + x / n.conversations % 2) % n.users + 1),
    CASE WHEN x % 13 = 0 THEN NULL
         WHEN x % 3 = 0 THEN pg_temp.sentence(x) || ' ' || pg_temp.phrase(x / 7)
         ELSE pg_temp.phrase(x) || ' ' || pg_temp.phrase(x / 5) END,
    CASE WHEN x % 13 = 0 THEN '/uploads/messages/' || pg_temp.vid(v) || '/' || x || '.jpg' END,
    x % 13 = 0,
    CASE WHEN x % 13 = 0 THEN 4.50 END,
    x % 4 <> 0,
    CASE WHEN x % 13 = 0 THEN jsonb_build_object('unlock', jsonb_build_object('price', '4.50', 'currency', 'SOL', 'buyers', '[]'::jsonb))
         WHEN x % 11 = 0 THEN '{"reactions": {"🔥": 2, "👍": 1}}'::jsonb END,
    created,
    created + (x % 3) * interval '1 second'
FROM bench_n AS n, LATERAL (SELECT x, x % n.conversations + 1 AS v,
                                   timestamp '2024-02-01 00:00:00' + x * interval '17 seconds 9 milliseconds' AS created
                            FROM generate_series(0, n.messages - 1) AS x) AS m;

-- NextAuth tables.
INSERT INTO "sessions" ("id", "sessionToken", "userId", "expires", "fingerprint")
SELECT
    'cbx' || substr(md5('bench-session-' || x), 1, 22),
    (md5('bench-session-token-' || x))::uuid::text,
    pg_temp.uid((x * 13) % n.users + 1),
    timestamp '2024-06-01 00:00:00' + x * interval '11 seconds 125 milliseconds',
    CASE WHEN x % 2 = 0 THEN decode(md5('fingerprint-' || x) || md5('fingerprint2-' || x), 'hex') END
FROM bench_n AS n, generate_series(0, n.sessions - 1) AS x;

INSERT INTO "accounts" ("id", "userId", "type", "provider", "providerAccountId", "refresh_token", "access_token",
                        "expires_at", "token_type", "scope", "id_token", "session_state")
SELECT
    'cba' || substr(md5('bench-account-' || x), 1, 22),
    pg_temp.uid(x % n.users + 1),
    CASE WHEN x % 6 = 5 THEN 'credentials' ELSE 'oauth' END,
    (ARRAY['google', 'github', 'twitter', 'discord', 'apple', 'credentials'])[x % 6 + 1],
    (100000000000000000000::numeric + x)::text,
    CASE WHEN x % 2 = 0 THEN '1//0' || md5('refresh-' || x) || md5('refresh2-' || x) END,
    CASE WHEN x % 6 <> 5 THEN 'ya29.' || md5('access-' || x) || md5('access2-' || x) || md5('access3-' || x) END,
    CASE WHEN x % 6 <> 5 THEN 1717200000 + x END,
    CASE WHEN x % 6 <> 5 THEN 'Bearer' END,
    CASE WHEN x % 6 <> 5 THEN 'openid email profile' END,
    CASE WHEN x % 6 = 0 THEN 'eyJhbGciOiJSUzI1NiJ9.' || translate(encode(convert_to(repeat(md5('id-' || x), 8), 'UTF8'), 'base64'), E'\n=', '') || '.c2ln' END,
    CASE WHEN x % 6 = 2 THEN 'active' END
FROM bench_n AS n, generate_series(0, n.accounts - 1) AS x;

INSERT INTO "verification_tokens" ("identifier", "token", "expires")
SELECT 'user' || (x + 1) || '@fonana.test', md5('vt-' || x) || md5('vt2-' || x), timestamp '2024-05-01 00:00:00' + x * interval '1 hour'
FROM bench_n AS n, generate_series(0, n.verification_tokens - 1) AS x;

COMMIT;

-- The pinnedPostId update left dead row versions behind; statistics for the planner and the progress estimates.
-- Only the Fonana tables: a database-wide VACUUM warns about every catalog a non-superuser may not vacuum.
VACUUM ANALYZE "users", "posts", "comments", "likes", "follows", "subscriptions", "notifications", "conversations",
    "_ConversationParticipants", "messages", "sessions", "accounts", "verification_tokens";
