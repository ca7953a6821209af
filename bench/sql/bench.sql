-- Database workload for xlat, run by the sqlite3 shell on an in-memory
-- database. The harness sets @n (rows) with `.parameter set @n N`.
-- Parsing, the VDBE bytecode interpreter, B-tree pages, sorting and
-- aggregation; integer arithmetic and basic floating point only.

CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, amount INTEGER,
                    item TEXT, day INTEGER);

BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @n / 50)
INSERT INTO customer
  SELECT i, 'cust' || printf('%06d', (i * 7919) % 1000003), i % 13 FROM c;
WITH RECURSIVE c(i, r) AS (
  SELECT 1, 12345
  UNION ALL
  SELECT i + 1, (r * 1103515245 + 12345) % 2147483648 FROM c WHERE i < @n)
INSERT INTO orders
  SELECT i, 1 + r % (@n / 50), r % 10007, 'item' || (r % 997), (r >> 8) % 365
  FROM c;
COMMIT;

SELECT 'rows', (SELECT count(*) FROM customer), (SELECT count(*) FROM orders);

-- Aggregates over a join, grouped and ordered.
SELECT c.region, count(*), sum(o.amount), min(o.amount), max(o.amount),
       printf('%.3f', avg(o.amount))
FROM orders o JOIN customer c ON c.id = o.customer
GROUP BY c.region ORDER BY c.region;

-- Top customers: aggregate, then ORDER BY over the aggregate.
SELECT c.name, sum(o.amount) AS total
FROM orders o JOIN customer c ON c.id = o.customer
GROUP BY o.customer ORDER BY total DESC, c.name LIMIT 5;

-- An index, then range queries that use it.
CREATE INDEX orders_day ON orders(day, amount);
SELECT day, count(*), sum(amount) FROM orders
WHERE day BETWEEN 100 AND 104 GROUP BY day ORDER BY day;
SELECT count(*) FROM orders WHERE day = 200 AND amount > 5000;

-- Text: LIKE, substr, group by an expression.
SELECT substr(item, 5, 1) AS d, count(*), sum(length(item))
FROM orders WHERE item LIKE 'item1%' GROUP BY d ORDER BY d;

-- Updates and deletes inside a transaction, then a checksum of the table.
BEGIN;
UPDATE orders SET amount = amount + 1 WHERE id % 3 = 0;
DELETE FROM orders WHERE amount % 11 = 0;
COMMIT;
SELECT count(*), sum(amount * (id % 17)) % 1000000007 FROM orders;

-- Sort the whole table by a non-indexed key.
SELECT sum(rn * amount) % 1000000007 FROM (
  SELECT row_number() OVER (ORDER BY item, amount DESC, id) AS rn, amount
  FROM orders);
