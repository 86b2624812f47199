#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 4, warpsPerCTA = [2, 2], instrShape = [32, 32, 16], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
  tt.func public @gluon_gemm_3stage(%a_ptr: !tt.ptr<bf16>, %b_ptr: !tt.ptr<bf16>, %c_ptr: !tt.ptr<bf16>, %M: i32, %N: i32, %K: i32, %stride_am: i32, %stride_bk: i32, %stride_cm: i32) attributes {noinline = false} {
    %cst = arith.constant dense<64> : tensor<128x64xi32, #blocked>
    %c2_i32 = arith.constant 2 : i32
    %c1_i32 = arith.constant 1 : i32
    %c64_i32 = arith.constant 64 : i32
    %c63_i32 = arith.constant 63 : i32
    %cst_0 = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
    %c0_i32 = arith.constant 0 : i32
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<64x128xbf16, #blocked>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<128x64xbf16, #blocked>
    %c128_i32 = arith.constant 128 : i32
    %pid_m = tt.get_program_id x : i32
    %pid_n = tt.get_program_id y : i32
    %0 = arith.muli %pid_m, %c128_i32 : i32
    %rows = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %rows_3 = tt.splat %0 : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %rows_4 = arith.addi %rows_3, %rows : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %cols = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %1 = tt.expand_dims %rows_4 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<128x1xi32, #blocked>
    %2 = tt.splat %stride_am : i32 -> tensor<128x1xi32, #blocked>
    %3 = arith.muli %1, %2 : tensor<128x1xi32, #blocked>
    %4 = tt.splat %a_ptr : !tt.ptr<bf16> -> tensor<128x1x!tt.ptr<bf16>, #blocked>
    %5 = tt.addptr %4, %3 : tensor<128x1x!tt.ptr<bf16>, #blocked>, tensor<128x1xi32, #blocked>
    %6 = tt.expand_dims %cols {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %7 = tt.broadcast %5 : tensor<128x1x!tt.ptr<bf16>, #blocked> -> tensor<128x64x!tt.ptr<bf16>, #blocked>
    %8 = tt.broadcast %6 : tensor<1x64xi32, #blocked> -> tensor<128x64xi32, #blocked>
    %9 = tt.addptr %7, %8 : tensor<128x64x!tt.ptr<bf16>, #blocked>, tensor<128x64xi32, #blocked>
    %10 = arith.muli %pid_n, %c128_i32 : i32
    %rows_5 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %cols_6 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %cols_7 = tt.splat %10 : i32 -> tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %cols_8 = arith.addi %cols_7, %cols_6 : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %11 = tt.expand_dims %rows_5 {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %12 = tt.splat %stride_bk : i32 -> tensor<64x1xi32, #blocked>
    %13 = arith.muli %11, %12 : tensor<64x1xi32, #blocked>
    %14 = tt.splat %b_ptr : !tt.ptr<bf16> -> tensor<64x1x!tt.ptr<bf16>, #blocked>
    %15 = tt.addptr %14, %13 : tensor<64x1x!tt.ptr<bf16>, #blocked>, tensor<64x1xi32, #blocked>
    %16 = tt.expand_dims %cols_8 {axis = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x128xi32, #blocked>
    %17 = tt.broadcast %15 : tensor<64x1x!tt.ptr<bf16>, #blocked> -> tensor<64x128x!tt.ptr<bf16>, #blocked>
    %18 = tt.broadcast %16 : tensor<1x128xi32, #blocked> -> tensor<64x128xi32, #blocked>
    %19 = tt.addptr %17, %18 : tensor<64x128x!tt.ptr<bf16>, #blocked>, tensor<64x128xi32, #blocked>
    %lds_a = ttg.local_alloc : () -> !ttg.memdesc<2x128x64xbf16, #shared, #smem, mutable>
    %lds_b = ttg.local_alloc : () -> !ttg.memdesc<2x64x128xbf16, #shared, #smem, mutable>
    %a = tt.splat %M : i32 -> tensor<128x1xi32, #blocked>
    %a_9 = arith.cmpi slt, %1, %a : tensor<128x1xi32, #blocked>
    %a_10 = tt.splat %K : i32 -> tensor<1x64xi32, #blocked>
    %a_11 = arith.cmpi slt, %6, %a_10 : tensor<1x64xi32, #blocked>
    %a_12 = tt.broadcast %a_9 : tensor<128x1xi1, #blocked> -> tensor<128x64xi1, #blocked>
    %a_13 = tt.broadcast %a_11 : tensor<1x64xi1, #blocked> -> tensor<128x64xi1, #blocked>
    %a_14 = arith.andi %a_12, %a_13 : tensor<128x64xi1, #blocked>
    %a_15 = tt.load %9, %a_14, %cst_2 : tensor<128x64x!tt.ptr<bf16>, #blocked>
    %b = tt.splat %K : i32 -> tensor<64x1xi32, #blocked>
    %b_16 = arith.cmpi slt, %11, %b : tensor<64x1xi32, #blocked>
    %b_17 = tt.splat %N : i32 -> tensor<1x128xi32, #blocked>
    %b_18 = arith.cmpi slt, %16, %b_17 : tensor<1x128xi32, #blocked>
    %b_19 = tt.broadcast %b_16 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
    %b_20 = tt.broadcast %b_18 : tensor<1x128xi1, #blocked> -> tensor<64x128xi1, #blocked>
    %b_21 = arith.andi %b_19, %b_20 : tensor<64x128xi1, #blocked>
    %b_22 = tt.load %19, %b_21, %cst_1 : tensor<64x128x!tt.ptr<bf16>, #blocked>
    %20 = ttg.memdesc_index %lds_a[%c0_i32] : !ttg.memdesc<2x128x64xbf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xbf16, #shared, #smem, mutable>
    ttg.local_store %a_15, %20 : tensor<128x64xbf16, #blocked> -> !ttg.memdesc<128x64xbf16, #shared, #smem, mutable>
    %21 = ttg.memdesc_index %lds_b[%c0_i32] : !ttg.memdesc<2x64x128xbf16, #shared, #smem, mutable> -> !ttg.memdesc<64x128xbf16, #shared, #smem, mutable>
    ttg.local_store %b_22, %21 : tensor<64x128xbf16, #blocked> -> !ttg.memdesc<64x128xbf16, #shared, #smem, mutable>
    %n_k = arith.addi %K, %c63_i32 : i32
    %n_k_23 = arith.divsi %n_k, %c64_i32 : i32
    %acc:3 = scf.for %i = %c0_i32 to %n_k_23 step %c1_i32 iter_args(%a_ptrs = %9, %b_ptrs = %19, %acc_25 = %cst_0) -> (tensor<128x64x!tt.ptr<bf16>, #blocked>, tensor<64x128x!tt.ptr<bf16>, #blocked>, tensor<128x128xf32, #mma>)  : i32 {
      %cur = arith.remsi %i, %c2_i32 : i32
      %k_next = arith.addi %i, %c1_i32 : i32
      %k_next_26 = arith.muli %k_next, %c64_i32 : i32
      %a_ptrs_27 = tt.addptr %a_ptrs, %cst : tensor<128x64x!tt.ptr<bf16>, #blocked>, tensor<128x64xi32, #blocked>
      %b_ptrs_28 = arith.muli %stride_bk, %c64_i32 : i32
      %b_ptrs_29 = tt.splat %b_ptrs_28 : i32 -> tensor<64x128xi32, #blocked>
      %b_ptrs_30 = tt.addptr %b_ptrs, %b_ptrs_29 : tensor<64x128x!tt.ptr<bf16>, #blocked>, tensor<64x128xi32, #blocked>
      %a_31 = arith.subi %K, %k_next_26 : i32
      %a_32 = tt.splat %a_31 : i32 -> tensor<1x64xi32, #blocked>
      %a_33 = arith.cmpi slt, %6, %a_32 : tensor<1x64xi32, #blocked>
      %a_34 = tt.broadcast %a_33 : tensor<1x64xi1, #blocked> -> tensor<128x64xi1, #blocked>
      %a_35 = arith.andi %a_12, %a_34 : tensor<128x64xi1, #blocked>
      %a_36 = tt.load %a_ptrs_27, %a_35, %cst_2 : tensor<128x64x!tt.ptr<bf16>, #blocked>
      %b_37 = tt.splat %a_31 : i32 -> tensor<64x1xi32, #blocked>
      %b_38 = arith.cmpi slt, %11, %b_37 : tensor<64x1xi32, #blocked>
      %b_39 = tt.broadcast %b_38 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
      %b_40 = arith.andi %b_39, %b_20 : tensor<64x128xi1, #blocked>
      %b_41 = tt.load %b_ptrs_30, %b_40, %cst_1 : tensor<64x128x!tt.ptr<bf16>, #blocked>
      rocdl.sched.barrier none {triton.warp_pipeline.border = "global", triton.warp_pipeline.priority = 1 : i32}
      %acc_42 = ttg.memdesc_index %lds_a[%cur] : !ttg.memdesc<2x128x64xbf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xbf16, #shared, #smem, mutable>
      %acc_43 = ttg.local_load %acc_42 : !ttg.memdesc<128x64xbf16, #shared, #smem, mutable> -> tensor<128x64xbf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 8}>>
      %acc_44 = ttg.memdesc_index %lds_b[%cur] : !ttg.memdesc<2x64x128xbf16, #shared, #smem, mutable> -> !ttg.memdesc<64x128xbf16, #shared, #smem, mutable>
      %acc_45 = ttg.local_load %acc_44 : !ttg.memdesc<64x128xbf16, #shared, #smem, mutable> -> tensor<64x128xbf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 8}>>
      %acc_46 = tt.dot %acc_43, %acc_45, %acc_25 : tensor<128x64xbf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 8}>> * tensor<64x128xbf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 8}>> -> tensor<128x128xf32, #mma>
      rocdl.sched.barrier none {triton.warp_pipeline.border = "compute", triton.warp_pipeline.priority = 0 : i32}
      %32 = arith.subi %c1_i32, %cur : i32
      %33 = ttg.memdesc_index %lds_a[%32] : !ttg.memdesc<2x128x64xbf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xbf16, #shared, #smem, mutable>
      ttg.local_store %a_36, %33 : tensor<128x64xbf16, #blocked> -> !ttg.memdesc<128x64xbf16, #shared, #smem, mutable>
      %34 = ttg.memdesc_index %lds_b[%32] : !ttg.memdesc<2x64x128xbf16, #shared, #smem, mutable> -> !ttg.memdesc<64x128xbf16, #shared, #smem, mutable>
      ttg.local_store %b_41, %34 : tensor<64x128xbf16, #blocked> -> !ttg.memdesc<64x128xbf16, #shared, #smem, mutable>
      rocdl.sched.barrier none {triton.warp_pipeline.border = "lds"}
      scf.yield %a_ptrs_27, %b_ptrs_30, %acc_46 : tensor<128x64x!tt.ptr<bf16>, #blocked>, tensor<64x128x!tt.ptr<bf16>, #blocked>, tensor<128x128xf32, #mma>
    }
    %22 = tt.splat %stride_cm : i32 -> tensor<128x1xi32, #blocked>
    %23 = arith.muli %1, %22 : tensor<128x1xi32, #blocked>
    %24 = tt.splat %c_ptr : !tt.ptr<bf16> -> tensor<128x1x!tt.ptr<bf16>, #blocked>
    %25 = tt.addptr %24, %23 : tensor<128x1x!tt.ptr<bf16>, #blocked>, tensor<128x1xi32, #blocked>
    %26 = tt.broadcast %25 : tensor<128x1x!tt.ptr<bf16>, #blocked> -> tensor<128x128x!tt.ptr<bf16>, #blocked>
    %27 = tt.broadcast %16 : tensor<1x128xi32, #blocked> -> tensor<128x128xi32, #blocked>
    %28 = tt.addptr %26, %27 : tensor<128x128x!tt.ptr<bf16>, #blocked>, tensor<128x128xi32, #blocked>
    %c = arith.truncf %acc#2 : tensor<128x128xf32, #mma> to tensor<128x128xbf16, #mma>
    %c_24 = ttg.convert_layout %c : tensor<128x128xbf16, #mma> -> tensor<128x128xbf16, #blocked>
    %29 = tt.broadcast %a_9 : tensor<128x1xi1, #blocked> -> tensor<128x128xi1, #blocked>
    %30 = tt.broadcast %b_18 : tensor<1x128xi1, #blocked> -> tensor<128x128xi1, #blocked>
    %31 = arith.andi %29, %30 : tensor<128x128xi1, #blocked>
    tt.store %28, %c_24, %31 : tensor<128x128x!tt.ptr<bf16>, #blocked>
    tt.return
  }
}
