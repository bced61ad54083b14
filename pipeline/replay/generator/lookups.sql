-- Small tables the generator reads by index, computed once and held in variables: a list from a variable is a
-- constant, so reading it per row costs little and, unlike a join, keeps the rows in the order they were sorted.

-- hour of the day for a 10-bit draw, from a daily curve (UTC): quiet at night, busiest late morning to
-- afternoon (cumulative shares per hour)
SET VARIABLE hours = (
  SELECT list(len(list_filter([0.020, 0.035, 0.050, 0.070, 0.100, 0.140, 0.190, 0.245, 0.300, 0.355,
                               0.410, 0.465, 0.520, 0.575, 0.630, 0.685, 0.735, 0.785, 0.830, 0.870,
                               0.905, 0.935, 0.965, 1.000], lambda c: c <= j / 1024.0)) ORDER BY j)
  FROM range(1024) AS r(j)
);

-- rows come in blocks of 12; a mask says where sessions start inside a block (bit k: at row k; bit 0 always,
-- every other bit with probability 0.22), so sessions hold 1 to 12 events, ~3.5 on average
SET VARIABLE masks = (
  SELECT list(1 + (SELECT sum(CASE WHEN hash(m, k, 'cut') % 100 < 22 THEN 1 << k ELSE 0 END)::BIGINT
                   FROM range(1, 12) AS rk(k)) ORDER BY m)
  FROM range(4096) AS r(m)
);

-- 600 category codes of 2 or 3 levels
SET VARIABLE category_codes = (
  SELECT list((['electronics', 'appliances', 'computers', 'apparel', 'furniture', 'construction', 'kids',
                'sport', 'auto', 'accessories', 'country_yard', 'medicine', 'stationery'])[1 + c % 13]
              || '.' || (['smartphone', 'audio', 'kitchen', 'notebook', 'shoes', 'bedroom', 'tools', 'toys',
                          'bicycle', 'bag', 'video', 'environment', 'desktop', 'clocks'])[1 + (c // 13) % 14]
              || CASE WHEN c % 3 = 0
                      THEN '.' || (['headphone', 'refrigerators', 'washer', 'tv', 'keds', 'sofa'])[1 + c % 6]
                      ELSE '' END ORDER BY c)
  FROM range(600) AS r(c)
);

-- 3000 brands: 20 real names, then numbered variants of them
SET VARIABLE brands = (
  SELECT list((['samsung', 'apple', 'xiaomi', 'huawei', 'lg', 'lucente', 'sony', 'oppo', 'bosch', 'acer',
                'lenovo', 'respect', 'cordiant', 'elenberg', 'artel', 'indesit', 'redmond', 'polaris', 'haier',
                'hp'])[1 + b % 20] || CASE WHEN b >= 20 THEN CAST(b AS VARCHAR) ELSE '' END ORDER BY b)
  FROM range(3000) AS r(b)
);
