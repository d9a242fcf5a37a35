;; CPU kernels in WebAssembly SIMD, driven from JS: the Gram matrix (src/gpu/kernels/gram/gram.cpu.ts)
;; and X*W (src/core/project.ts). 'npm run wasm' compiles this file into kernels.wasm.ts; wasm.ts
;; loads it. Memory is imported: the caller lays out a block of rows, the weights and the sums.
;;
;; Gram: bit-for-bit equal to gram.cpu.ts's JS loop: every accumulator is one Gram entry, summed over the
;; block's rows in row order with a separate multiply and add (no fused multiply-add), which is
;; exactly the JS 's += xa * xb'. The two lanes of an f64x2 hold two *different* entries
;; (G[a][b], G[a][b+1]), never two halves of one sum, so SIMD changes no summation order.
(module
  (import "env" "memory" (memory 1))

  ;; Centre and transpose: dst[i*dp + j] = src[j*rows + i] - centre[j] for i < rows, j < d.
  ;; src: d columns of 'rows' f64 each (column-major); dst: rows x dp, row-major.
  (func (export "pack")
    (param $src i32) (param $rows i32) (param $d i32) (param $dp i32) (param $centre i32) (param $dst i32)
    (local $j i32) (local $s i32) (local $t i32) (local $end i32) (local $stride i32) (local $c f64)
    (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
    (block $columns_done
      (loop $columns
        (br_if $columns_done (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $c (f64.load (i32.add (local.get $centre) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.mul (local.get $j) (local.get $rows)) (i32.const 3))))
        (local.set $end (i32.add (local.get $s) (i32.shl (local.get $rows) (i32.const 3))))
        (local.set $t (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $s) (local.get $end)))
            (f64.store (local.get $t) (f64.sub (f64.load (local.get $s)) (local.get $c)))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $t (i32.add (local.get $t) (local.get $stride)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $columns))))

  ;; g[a*dp + b] += sum over i of x[i*dp + a] * x[i*dp + b] over the `rows` rows of x (rows x dp,
  ;; row-major), for every a and every b >= a (and a little below the diagonal: the tiles start at
  ;; column 4*floor(a/4)), in tiles of 4 rows a .. a+3 x 4 columns b .. b+3 of g: 16 running sums in
  ;; 8 registers, 4 splats and 2 loads per row for 16 multiply-adds. dp is a multiple of 4.
  (func (export "tiles") (param $x i32) (param $rows i32) (param $dp i32) (param $g i32)
    (local $a i32) (local $b i32) (local $stride i32) (local $end i32)
    (local $pa i32) (local $pb i32) (local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $xa v128) (local $xb0 v128) (local $xb1 v128)
    (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $stride))))
    (block $a_done
      (loop $a_loop
        (br_if $a_done (i32.ge_u (local.get $a) (local.get $dp)))
        (local.set $b (local.get $a))
        (block $b_done
          (loop $b_loop
            (br_if $b_done (i32.ge_u (local.get $b) (local.get $dp)))
            (local.set $g0 (i32.add (local.get $g)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $dp)) (local.get $b)) (i32.const 3))))
            (local.set $g1 (i32.add (local.get $g0) (local.get $stride)))
            (local.set $g2 (i32.add (local.get $g1) (local.get $stride)))
            (local.set $g3 (i32.add (local.get $g2) (local.get $stride)))
            (local.set $c00 (v128.load (local.get $g0)))
            (local.set $c01 (v128.load offset=16 (local.get $g0)))
            (local.set $c10 (v128.load (local.get $g1)))
            (local.set $c11 (v128.load offset=16 (local.get $g1)))
            (local.set $c20 (v128.load (local.get $g2)))
            (local.set $c21 (v128.load offset=16 (local.get $g2)))
            (local.set $c30 (v128.load (local.get $g3)))
            (local.set $c31 (v128.load offset=16 (local.get $g3)))
            (local.set $pa (i32.add (local.get $x) (i32.shl (local.get $a) (i32.const 3))))
            (local.set $pb (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 3))))
            (block $rows_done
              (loop $rows
                (br_if $rows_done (i32.ge_u (local.get $pa) (local.get $end)))
                (local.set $xb0 (v128.load (local.get $pb)))
                (local.set $xb1 (v128.load offset=16 (local.get $pb)))
                (local.set $xa (f64x2.splat (f64.load (local.get $pa))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $xa) (local.get $xb0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $xa) (local.get $xb1))))
                (local.set $xa (f64x2.splat (f64.load offset=8 (local.get $pa))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $xa) (local.get $xb0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $xa) (local.get $xb1))))
                (local.set $xa (f64x2.splat (f64.load offset=16 (local.get $pa))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $xa) (local.get $xb0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $xa) (local.get $xb1))))
                (local.set $xa (f64x2.splat (f64.load offset=24 (local.get $pa))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $xa) (local.get $xb0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $xa) (local.get $xb1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $stride)))
                (local.set $pb (i32.add (local.get $pb) (local.get $stride)))
                (br $rows)))
            (v128.store (local.get $g0) (local.get $c00))
            (v128.store offset=16 (local.get $g0) (local.get $c01))
            (v128.store (local.get $g1) (local.get $c10))
            (v128.store offset=16 (local.get $g1) (local.get $c11))
            (v128.store (local.get $g2) (local.get $c20))
            (v128.store offset=16 (local.get $g2) (local.get $c21))
            (v128.store (local.get $g3) (local.get $c30))
            (v128.store offset=16 (local.get $g3) (local.get $c31))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $b_loop)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $a_loop))))
;; y[r*kp + c] = sum over p < d of x[r*dp + p] * w[p*kp + c], for the rows x rows of x (row-major,
  ;; stride dp) and kp outputs (w: d x kp, row-major). Each output is one running sum over p in
  ;; order from zero, a separate multiply and add per term -- the JS loop's numbers exactly (the
  ;; two lanes of an f64x2 are two outputs c, c+1). Tiles of 4 rows x 4 outputs: 8 registers of
  ;; sums, 4 splats and 2 loads per p for 16 multiply-adds. rows and kp are multiples of 4.
  (func (export "xw")
    (param $x i32) (param $rows i32) (param $dp i32) (param $d i32) (param $w i32) (param $kp i32) (param $y i32)
    (local $r i32) (local $c i32) (local $p i32) (local $stride i32) (local $wstride i32)
    (local $px i32) (local $pw i32) (local $py i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $xs v128) (local $w0 v128) (local $w1 v128)
    (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $wstride (i32.shl (local.get $kp) (i32.const 3)))
    (block $r_done
      (loop $r_loop
        (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $c_done
          (loop $c_loop
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $kp)))
            (local.set $a00 (v128.const i64x2 0 0))
            (local.set $a01 (v128.const i64x2 0 0))
            (local.set $a10 (v128.const i64x2 0 0))
            (local.set $a11 (v128.const i64x2 0 0))
            (local.set $a20 (v128.const i64x2 0 0))
            (local.set $a21 (v128.const i64x2 0 0))
            (local.set $a30 (v128.const i64x2 0 0))
            (local.set $a31 (v128.const i64x2 0 0))
            (local.set $px (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
            (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $c) (i32.const 3))))
            (local.set $p (i32.const 0))
            (block $p_done
              (loop $p_loop
                (br_if $p_done (i32.ge_u (local.get $p) (local.get $d)))
                (local.set $w0 (v128.load (local.get $pw)))
                (local.set $w1 (v128.load offset=16 (local.get $pw)))
                (local.set $xs (f64x2.splat (f64.load (local.get $px))))
                (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $xs) (local.get $w0))))
                (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $xs) (local.get $w1))))
                (local.set $xs (f64x2.splat (f64.load (i32.add (local.get $px) (local.get $stride)))))
                (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $xs) (local.get $w0))))
                (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $xs) (local.get $w1))))
                (local.set $xs (f64x2.splat (f64.load (i32.add (local.get $px) (i32.shl (local.get $stride) (i32.const 1))))))
                (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $xs) (local.get $w0))))
                (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $xs) (local.get $w1))))
                (local.set $xs (f64x2.splat (f64.load (i32.add (local.get $px) (i32.mul (local.get $stride) (i32.const 3))))))
                (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $xs) (local.get $w0))))
                (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $xs) (local.get $w1))))
                (local.set $px (i32.add (local.get $px) (i32.const 8)))
                (local.set $pw (i32.add (local.get $pw) (local.get $wstride)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $p_loop)))
            (local.set $py (i32.add (local.get $y)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $kp)) (local.get $c)) (i32.const 3))))
            (v128.store (local.get $py) (local.get $a00))
            (v128.store offset=16 (local.get $py) (local.get $a01))
            (local.set $py (i32.add (local.get $py) (local.get $wstride)))
            (v128.store (local.get $py) (local.get $a10))
            (v128.store offset=16 (local.get $py) (local.get $a11))
            (local.set $py (i32.add (local.get $py) (local.get $wstride)))
            (v128.store (local.get $py) (local.get $a20))
            (v128.store offset=16 (local.get $py) (local.get $a21))
            (local.set $py (i32.add (local.get $py) (local.get $wstride)))
            (v128.store (local.get $py) (local.get $a30))
            (v128.store offset=16 (local.get $py) (local.get $a31))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $c_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $r_loop))))
)
