/**
 * Word lists the catalogue draws from. Brands, makers and malls are invented (no real trademarks), category
 * names follow Naver Shopping's Korean taxonomy so titles and categories look like real payloads.
 */

/** A category family: Naver's large and medium categories, candidate small/detailed ones, a price band in KRW. */
export interface CategoryFamily {
  readonly category1: string;
  readonly category2: string;
  readonly category3: readonly string[];
  readonly category4: readonly string[];
  readonly minPrice: number;
  readonly maxPrice: number;
  /** Prefixes of a query's first word that make this family the stem's main one ("camping" -> 캠핑). */
  readonly hints: readonly string[];
}

/** The category families a stem draws its main and second category from. */
export const CATEGORY_FAMILIES: readonly CategoryFamily[] = [
  {
    category1: '디지털/가전',
    category2: '음향가전',
    category3: ['이어폰', '헤드폰', '블루투스스피커'],
    category4: ['블루투스이어폰', '유선이어폰', '무선헤드폰', ''],
    minPrice: 9_900,
    maxPrice: 390_000,
    hints: [
      'wireless',
      'bluetooth',
      'earbud',
      'earphone',
      'headphone',
      'headset',
      'speaker',
      '무선',
      '블루투스',
      '이어폰',
      '헤드폰',
      '스피커',
    ],
  },
  {
    category1: '디지털/가전',
    category2: '주방가전',
    category3: ['전기포트', '에어프라이어', '커피머신'],
    category4: ['', '전기주전자', '캡슐커피머신'],
    minPrice: 19_000,
    maxPrice: 650_000,
    hints: ['kettle', 'coffee', 'airfryer', 'blender', 'toaster', '커피', '에어프라이어', '전기포트', '믹서기', '주방'],
  },
  {
    category1: '디지털/가전',
    category2: '휴대폰액세서리',
    category3: ['충전기', '케이블', '보조배터리', '케이스'],
    category4: ['', '고속충전기', 'C타입케이블'],
    minPrice: 2_900,
    maxPrice: 89_000,
    hints: ['charger', 'cable', 'phone', 'usb', 'powerbank', '충전기', '케이블', '휴대폰', '보조배터리', '케이스'],
  },
  {
    category1: '화장품/미용',
    category2: '스킨케어',
    category3: ['에센스', '크림', '선케어', '클렌징'],
    category4: ['', '수분크림', '선크림', '클렌징폼'],
    minPrice: 5_900,
    maxPrice: 120_000,
    hints: ['cream', 'serum', 'sunscreen', 'skin', 'cleansing', '크림', '선크림', '에센스', '화장품', '스킨', '클렌징'],
  },
  {
    category1: '식품',
    category2: '건강식품',
    category3: ['비타민', '유산균', '홍삼'],
    category4: ['', '멀티비타민', '프로바이오틱스'],
    minPrice: 8_900,
    maxPrice: 150_000,
    hints: ['vitamin', 'probiotic', 'omega', 'supplement', '비타민', '유산균', '홍삼', '영양제', '오메가'],
  },
  {
    category1: '패션의류',
    category2: '남녀공용의류',
    category3: ['티셔츠', '후드티', '패딩'],
    category4: ['', '반팔티셔츠', '롱패딩'],
    minPrice: 9_900,
    maxPrice: 290_000,
    hints: ['shirt', 't-shirt', 'hoodie', 'jacket', 'padding', '티셔츠', '후드', '패딩', '자켓', '맨투맨'],
  },
  {
    category1: '스포츠/레저',
    category2: '캠핑',
    category3: ['텐트', '캠핑의자', '랜턴'],
    category4: ['', '원터치텐트', '릴렉스체어'],
    minPrice: 12_000,
    maxPrice: 890_000,
    hints: ['camping', 'tent', 'lantern', 'outdoor', '캠핑', '텐트', '랜턴', '등산'],
  },
  {
    category1: '생활/건강',
    category2: '욕실용품',
    category3: ['샴푸', '칫솔', '수건'],
    category4: ['', '탈모샴푸', '전동칫솔'],
    minPrice: 3_500,
    maxPrice: 79_000,
    hints: ['shampoo', 'toothbrush', 'towel', 'bath', '샴푸', '칫솔', '수건', '욕실'],
  },
  {
    category1: '가구/인테리어',
    category2: '서재/사무용가구',
    category3: ['책상', '의자', '책장'],
    category4: ['', '컴퓨터책상', '사무용의자'],
    minPrice: 29_000,
    maxPrice: 1_290_000,
    hints: ['desk', 'chair', 'bookshelf', 'office', 'table', '책상', '의자', '책장', '테이블'],
  },
  {
    category1: '출산/육아',
    category2: '기저귀/물티슈',
    category3: ['기저귀', '물티슈'],
    category4: ['', '팬티형기저귀', '캡형물티슈'],
    minPrice: 6_900,
    maxPrice: 98_000,
    hints: ['diaper', 'wipes', 'baby', '기저귀', '물티슈', '아기', '유아'],
  },
];

/** Invented brands; each stem uses a seeded subset so a few brands recur across its shelf. */
export const BRANDS: readonly string[] = [
  '노바텍',
  'Aurelo',
  '하늘빛',
  'Quenta',
  '모아랩',
  'Brisk',
  '솔트앤코',
  'Vellum',
  '온누리',
  'Kairo',
  '바른손길',
  'Lumex',
  '다온',
  'PebbleCo',
  '새벽숲',
  'Zentra',
  '고요',
  'Mirae One',
  '한결',
  'Ostra',
  '라온',
  'Fable',
  '청담랩',
  'Nordik',
  '별빛상회',
  'Arcana',
  '두리',
  'Solace',
  '해든',
  'Truvo',
  '미소공방',
  'Helix',
];

/** Invented manufacturers; each brand maps to one of them under a seed. */
export const MAKERS: readonly string[] = [
  '노바텍(주)',
  '에이치앤엘산업',
  'Aurelo Inc.',
  '모아전자',
  '(주)솔트앤코',
  'Kairo Ltd.',
  '온누리생활',
  '대성물산',
  '광명정밀',
  'Shenzhen Lumex',
  '청담코스메틱',
  '(주)한결',
];

/** Invented seller malls, earliest most frequent, shared by every keyword so one mall can undercut widely. */
export const MALLS: readonly string[] = [
  '하늘마켓',
  '모아샵',
  '리빙플러스',
  '스마트딜',
  '가온스토어',
  '바로배송몰',
  '알뜰상점',
  '굿프라이스',
  '오늘도특가',
  '해피마트',
  '다모아몰',
  '빠른직구',
  '초록가게',
  '나래상사',
  '별별마켓',
  '우리동네샵',
  '한빛유통',
  '씨엔에스몰',
  '데일리픽',
  '정성몰',
];

/** What naver shows as the mall of a price-comparison product: the comparison page itself. */
export const NAVER_MALL = '네이버';

/** Variant words closing a title after the model code. */
export const VARIANTS: readonly string[] = [
  '블랙',
  '화이트',
  '그레이',
  '네이비',
  '2개입',
  '대용량',
  '정품',
  '2026년형',
  '미니',
  '프리미엄',
  '1+1',
  '특가',
];
