<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription and editorial interventions. Two views share one page: the reading view
  (regularised: reg, corr, expan, add; del hidden) and the diplomatic view (as written: orig, sic,
  abbr, del struck through). Elements that belong to one view only carry class "read" or "dipl";
  the stylesheet (assets/edition.css) hides the other view's, the switch (edition.js) flips
  data-view on <body>. Interventions stay visible: supplied text in brackets, corrections marked.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:choice" mode="m:text">
    <span class="tei-choice"><xsl:apply-templates select="*" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <!-- inside a choice: one view each -->
  <xsl:template match="tei:choice/tei:orig | tei:choice/tei:sic | tei:choice/tei:abbr" mode="m:text">
    <span class="tei-{local-name()} dipl" data-pagefind-ignore=""><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:choice/tei:reg | tei:choice/tei:corr | tei:choice/tei:expan" mode="m:text">
    <xsl:variable name="other" select="../(tei:orig, tei:sic, tei:abbr)[1]"/>
    <span class="tei-{local-name()} read intervention iv-changed">
      <xsl:call-template name="fp:intervention-attributes"/>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </span>
  </xsl:template>
  <!-- alternatives of one kind (unclear readings, segs): the first is the reading (f:choice-reading),
       the others show in the diplomatic view -->
  <xsl:template match="tei:choice/tei:seg | tei:choice/tei:unclear" mode="m:text">
    <xsl:variable name="reading" select=". is f:choice-reading(..)"/>
    <span class="tei-{local-name()} {if ($reading) then 'read' else 'dipl'}"><xsl:if test="not($reading)"><xsl:attribute name="data-pagefind-ignore" select="''"/></xsl:if><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <!-- standalone: shown in both views, marked -->
  <xsl:template match="tei:sic" mode="m:text">
    <span class="tei-sic intervention iv-sic"><xsl:call-template name="fp:intervention-attributes"/><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><span class="read"> [sic]</span></span>
  </xsl:template>
  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:orig | tei:abbr | tei:ex" mode="m:text">
    <span class="tei-{local-name()} intervention iv-changed"><xsl:call-template name="fp:intervention-attributes"/><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <xsl:template match="tei:add" mode="m:text">
    <span class="tei-add intervention iv-added"><xsl:call-template name="fp:intervention-attributes"/><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:del | tei:surplus" mode="m:text">
    <del class="tei-{local-name()} dipl" data-pagefind-ignore=""><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></del>
  </xsl:template>
  <xsl:template match="tei:subst | tei:mod | tei:restore | tei:damage | tei:seg | tei:w | tei:pc | tei:c | tei:g | tei:num | tei:measure | tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:distinct | tei:gloss | tei:q | tei:said | tei:emph | tei:title | tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName | tei:nameLink | tei:affiliation | tei:email | tei:idno " mode="m:text" priority="-1">
    <!-- @rend and @type become rend-*/type-* classes, styled in edition.css (rend="superscript" …) -->
    <span class="{string-join(('tei-' || local-name(), if (self::tei:emph or self::tei:foreign or self::tei:title[@level = ('m', 'j', 's')] or self::tei:mentioned or self::tei:term) then 'italic' else (), fp:rend-classes(.)), ' ')}">
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:if test="self::tei:q or self::tei:said or self::tei:quote or self::tei:soCalled">“</xsl:if>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      <xsl:if test="self::tei:q or self::tei:said or self::tei:quote or self::tei:soCalled">”</xsl:if>
    </span>
  </xsl:template>
  <!-- empty by definition in TEI, but projects put text inside (the letters' postscripts are an
       anchor with content): an empty one is only its id, one with content keeps the content -->
  <xsl:template match="tei:anchor | tei:milestone[not(@unit = ('section', 'chapter'))] | tei:caesura" mode="m:text">
    <xsl:choose>
      <xsl:when test="node()">
        <span class="tei-{local-name()}">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
          <xsl:call-template name="fp:lang-attributes"/>
          <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:when>
      <xsl:when test="@xml:id"><span class="tei-{local-name()}" id="{f:html-id(@xml:id)}"></span></xsl:when>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:milestone" mode="m:text" priority="-0.5">
    <span class="tei-milestone" aria-hidden="true"> * </span>
    <xsl:if test="node() or @xml:id">
      <span class="tei-milestone-content">
        <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
        <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      </span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="m:text">
    <span class="tei-supplied intervention iv-supplied"><xsl:call-template name="fp:intervention-attributes"/><span class="bracket">[</span><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><span class="bracket">]</span></span>
  </xsl:template>
  <xsl:template match="tei:unclear" mode="m:text">
    <span class="tei-unclear intervention iv-unclear"><xsl:call-template name="fp:intervention-attributes"/><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:gap" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <!-- the marker of a text that is not transcribed: a gap in the body of a document the model
           says is not transcribed ([text] not_transcribed in edition.toml) -->
      <xsl:when test="parent::tei:body and f:document(.)/@transcribed = 'false'">
        <xsl:element name="{if ($inline) then 'span' else 'p'}">
          <xsl:attribute name="class" select="'tei-gap not-transcribed'"/>
          <xsl:value-of select="f:msg('text.not-transcribed')"/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-gap intervention iv-gap"><xsl:call-template name="fp:intervention-attributes"/>[…]</span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:space" mode="m:text">
    <span class="tei-space"><xsl:text> </xsl:text></span>
  </xsl:template>

  <!-- line and page breaks: a line break in the diplomatic view, a space in the reading view
       (nothing inside a word, nor between characters of a script written without spaces:
       f:joining-break) -->
  <xsl:template match="tei:lb" mode="m:text">
    <xsl:if test="not(f:joining-break(.))"><span class="read"><xsl:text> </xsl:text></span></xsl:if>
    <br class="dipl"/>
  </xsl:template>
  <xsl:template match="tei:pb" mode="m:text">
    <span class="tei-pb" data-pagefind-ignore="">
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:value-of select="if (@n) then concat('[', f:msg('pb.n', map{'n': string(@n)}), ']') else concat('[', f:msg('pb.page'), ']')"/>
    </span>
  </xsl:template>
  <xsl:template match="tei:cb" mode="m:text">
    <span class="tei-cb" aria-hidden="true">|</span>
  </xsl:template>

  <xsl:template match="tei:hi" mode="m:text">
    <xsl:variable name="rend" select="lower-case(string-join((@rend, @rendition, @style), ' '))"/>
    <xsl:variable name="name" select="if (matches($rend, 'sup')) then 'sup' else if (matches($rend, '(^|\s)sub')) then 'sub' else 'span'"/>
    <xsl:element name="{$name}">
      <xsl:attribute name="class" select="normalize-space(string-join(('tei-hi', fp:rend-classes(.),
        if (matches($rend, 'italic|ital|(^|\s)it(\s|$)')) then 'italic' else (),
        if (matches($rend, 'bold|strong')) then 'bold' else (),
        if (matches($rend, 'underline')) then 'underline' else (),
        if (matches($rend, 'small-?caps|smcap')) then 'smallcaps' else (),
        if (matches($rend, 'latintype|antiqua')) then 'latintype' else (),
        if (matches($rend, 'spaced|gesperrt|letterspace')) then 'spaced' else ()), ' '))"/>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Critical apparatus: the lemma (lem, else the first rdg) inline, the other readings after it
       in brackets with their witnesses ("butchery [bûchers fr]"), kept out of the search index;
       an empty reading is "om.", a witDetail a note of its reading ("B (fol. 3r)"). Readings
       inside rdgGrp count as the app's own. The rules are lib/apparatus.xsl's, shared with the
       PDF. An app attached elsewhere (@from/@to, @loc) is shown at its anchor (notes.xsl). -->
  <xsl:template match="tei:app" mode="m:text">
    <xsl:variable name="lem" select="f:app-reading(.)"/>
    <span class="app">
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:if test="exists($lem)">
        <span class="lem">
          <xsl:if test="$lem/@xml:id"><xsl:attribute name="id" select="f:html-id($lem/@xml:id)"/></xsl:if>
          <xsl:call-template name="fp:lang-attributes"><xsl:with-param name="of" select="$lem"/></xsl:call-template>
          <xsl:apply-templates select="$lem/node() except $lem//tei:witDetail" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:if>
      <xsl:if test="exists(f:app-variants(.) | f:app-other-details(.))">
        <span class="app-readings" data-pagefind-ignore="">
          <xsl:text> [</xsl:text>
          <xsl:call-template name="fp:app-readings"/>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:if>
      <!-- what else an app holds (notes …) besides its readings and their details -->
      <xsl:apply-templates select="* except (tei:lem, tei:rdg, tei:rdgGrp, tei:witDetail, tei:wit)" mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- The readings of an app other than its lemma, "; " between them: each its text (or "om."),
       its witnesses' sigla (links to the page's list of witnesses) and its witDetails, then the
       app's details that belong to no variant. The context item is the app. -->
  <xsl:template name="fp:app-readings">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <!-- set on site pages quoting TEI text: the list of witnesses is on the document's page -->
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <xsl:for-each select="f:app-variants(.)">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <span class="rdg">
        <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
        <xsl:call-template name="fp:lang-attributes"/>
        <xsl:choose>
          <xsl:when test="f:reading-omitted(.)"><span class="om"><xsl:value-of select="f:msg('app.om')"/></span></xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="node() except .//tei:witDetail" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:variable name="tokens" select="fp:tokens(@wit)"/>
        <xsl:if test="exists($tokens)">
          <xsl:variable name="rdg" select="."/>
          <xsl:variable name="titles" select="for $t in $tokens return fp:witness-title($t, $rdg)"/>
          <xsl:text> </xsl:text>
          <!-- each siglum of a witness the page lists (f:witness-list) links to its entry;
               the tooltip is an extra for pointer users -->
          <span class="wit">
            <xsl:if test="exists($titles)"><xsl:attribute name="title" select="string-join($titles, '; ')"/></xsl:if>
            <xsl:for-each select="$tokens">
              <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
              <xsl:variable name="anchor" select="fp:witness-anchor(fp:witness(., $rdg))"/>
              <xsl:choose>
                <xsl:when test="exists($anchor) and not($in-link) and empty($page-root)">
                  <a class="wit" href="#{$anchor}"><xsl:value-of select="fp:witness-siglum(., $rdg)"/></a>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="fp:witness-siglum(., $rdg)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </span>
        </xsl:if>
        <xsl:apply-templates select="f:reading-details(.)" mode="fp:wit-detail"/>
      </span>
    </xsl:for-each>
    <xsl:apply-templates select="f:app-other-details(.)" mode="fp:wit-detail"/>
  </xsl:template>

  <!-- a witDetail: a note of its reading, in parentheses after the sigla -->
  <xsl:template match="tei:witDetail" mode="fp:wit-detail">
    <xsl:text> </xsl:text>
    <span class="wit-detail">
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:text>(</xsl:text>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      <xsl:text>)</xsl:text>
    </span>
  </xsl:template>

  <!-- an app or note shown at its anchor (lib/apparatus.xsl) shows nothing where it stands -->
  <xsl:template match="tei:app[f:attached-elsewhere(.)] | tei:note[f:attached-elsewhere(.)]" mode="m:text" priority="5"/>

  <!-- lem, rdg, rdgGrp outside an app: their content, with their id -->
  <xsl:template match="tei:lem | tei:rdg | tei:rdgGrp" mode="m:text">
    <span class="{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- The id of a witness's entry in the page's list of witnesses: "wit-" + the slug of its
       xml:id ("-2", "-3" … after it when an earlier witness's xml:id has the same slug); none for
       a witness without xml:id (nothing points at it). -->
  <xsl:function name="fp:witness-anchor" as="xs:string?">
    <xsl:param name="w" as="element()?"/>
    <xsl:if test="$w/@xml:id">
      <xsl:variable name="slug" select="f:slug($w/@xml:id)"/>
      <xsl:variable name="n" select="count($w/preceding::tei:witness[@xml:id][f:slug(@xml:id) = $slug])"/>
      <xsl:sequence select="concat('wit-', $slug, if ($n gt 0) then concat('-', $n + 1) else '')"/>
    </xsl:if>
  </xsl:function>

  <!-- A witness's description: its text without its siglum element. -->
  <xsl:function name="fp:witness-description" as="xs:string">
    <xsl:param name="w" as="element()"/>
    <xsl:variable name="siglum-els" select="$w/(tei:abbr, tei:idno, tei:label)[@type = 'siglum']"/>
    <xsl:sequence select="normalize-space(string-join($w//text()[not(ancestor::* intersect $siglum-els)], ''))"/>
  </xsl:function>

  <!-- The page's list of witnesses (every witness of the document, in document order): its
       siglum (dt, the target of the apparatus's links) and its description (dd), so keyboard,
       touch and screen-reader users reach what the sigla's tooltips say. -->
  <xsl:template name="f:witness-list">
    <xsl:param name="witnesses" as="element()*"/>
    <xsl:if test="exists($witnesses)">
      <section class="witnesses" id="witnesses" aria-labelledby="witnesses-heading" data-pagefind-ignore="">
        <h2 id="witnesses-heading"><xsl:value-of select="f:msg('app.witnesses')"/></h2>
        <dl class="witness-list">
          <xsl:for-each select="$witnesses">
            <xsl:variable name="siglum" select="(fp:own-siglum(.), normalize-space(@xml:id)[. != ''], f:msg('app.witness', map{'n': position()}))[1]"/>
            <xsl:variable name="desc" select="fp:witness-description(.)"/>
            <dt>
              <xsl:variable name="anchor" select="fp:witness-anchor(.)"/>
              <xsl:if test="exists($anchor)"><xsl:attribute name="id" select="$anchor"/></xsl:if>
              <xsl:call-template name="fp:lang-attributes"/>
              <xsl:value-of select="$siglum"/>
            </dt>
            <dd>
              <xsl:choose>
                <xsl:when test="$desc != '' and $desc != $siglum">
                  <xsl:call-template name="fp:lang-attributes"/>
                  <xsl:value-of select="$desc"/>
                </xsl:when>
                <xsl:otherwise><span class="witness-undescribed"><xsl:value-of select="f:msg('app.no-description')"/></span></xsl:otherwise>
              </xsl:choose>
            </dd>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- "A: Autograph, 1891, Vienna": the siglum and description of a resolved witness (a tooltip,
       an extra: the page's list of witnesses says the same to everyone) -->
  <xsl:function name="fp:witness-title" as="xs:string?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="w" select="fp:witness($token, $from)"/>
    <xsl:variable name="text" select="if (exists($w)) then fp:witness-description($w) else ''"/>
    <xsl:variable name="siglum" select="fp:witness-siglum($token, $from)"/>
    <xsl:sequence select="if ($text != '' and $text != $siglum) then concat($siglum, ': ', $text) else ()"/>
  </xsl:function>

  <!-- Interventions: each is marked in the text (edition.css: one look per kind, in both views)
       and explained in the list under the text's legend (document.xsl, fp:intervention-list);
       outside a link it can be focused and clicked, its explanation then shown beside it
       (edition.js); inside one, the list is the way to it. -->
  <xsl:template name="fp:intervention-attributes">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="in-note" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <!-- on a document page only (site pages quoting the text have no list), once (not in notes,
         nor in a lemma repeated in the list of notes) -->
    <xsl:if test="empty($page-root) and not($in-note) and fp:listed-intervention(.)">
      <xsl:attribute name="id" select="concat('iv-', fp:node-key(.))"/>
      <xsl:if test="not($in-link)">
        <xsl:attribute name="tabindex" select="'0'"/>
        <xsl:attribute name="aria-describedby" select="concat('ivn-', fp:node-key(.))"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- Whether an intervention is in the legend's list (document.xsl): in the text, the shown
       title or the summary, not in a note (a note's own text is not the text). -->
  <xsl:function name="fp:listed-intervention" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="empty($e/ancestor::tei:note) and (exists($e/ancestor::tei:text | $e/ancestor::tei:sourceDoc)
      or exists($e/ancestor::tei:abstract[parent::tei:profileDesc])
      or (exists($e/ancestor::tei:titleStmt) and exists($e/ancestor::tei:title[. is f:title-element(ancestor::tei:teiHeader[1])])))"/>
  </xsl:function>

  <!-- A key of an element for ids the page makes (interventions): generate-id() without the
       tree's number, so the element's number in its document — the same in every build of the
       same file, whichever other documents the process read before (an incremental build makes
       the same page as a full one). -->
  <xsl:function name="fp:node-key" as="xs:string">
    <xsl:param name="e" as="node()"/>
    <xsl:sequence select="replace(generate-id($e), '^d\d+', '')"/>
  </xsl:function>

  <!-- What an intervention is, in words: "regularised; the source has: Hotan" -->
  <xsl:function name="f:intervention-note" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="other" select="if ($e/parent::tei:choice) then $e/../(tei:orig, tei:sic, tei:abbr)[1] else ()"/>
    <xsl:variable name="source" select="if (exists($other)) then concat('; ', f:msg('iv.source-has'), ' ', normalize-space(string-join($other//text(), ''))) else ''"/>
    <xsl:variable name="why" select="normalize-space(string-join(($e/@reason, $e/@place), ', '))"/>
    <xsl:sequence select="concat(
      f:msg('iv.note.' || (if ($e/self::tei:corr) then 'corr' else if ($e/self::tei:expan or $e/self::tei:ex) then 'expan'
      else if ($e/self::tei:reg) then 'reg' else if ($e/self::tei:sic) then 'sic'
      else if ($e/self::tei:orig) then 'orig' else if ($e/self::tei:abbr) then 'abbr'
      else if ($e/self::tei:add) then 'add' else if ($e/self::tei:supplied) then 'supplied'
      else if ($e/self::tei:unclear) then 'unclear' else if ($e/self::tei:gap) then 'gap'
      else 'intervention')),
      if ($why != '') then concat(' (', $why, ')') else '',
      if ($e/self::tei:gap and $e/@quantity) then concat(', ', $e/@quantity, ' ', $e/@unit) else '',
      $source)"/>
  </xsl:function>

  <!-- A change of hand: a small visible marker "[hand: X]" (the hand's label, f:hand-label, the
       scribe, the pointer or the medium), outside the search index; content inside (not TEI, but
       met) is kept. -->
  <xsl:template match="tei:handShift" mode="m:text" priority="1">
    <xsl:variable name="note" select="f:hand-note(@new, .)"/>
    <xsl:variable name="scribe" select="if (@scribe) then f:entity(@scribe, .) else ()"/>
    <xsl:variable name="label" select="(
      f:hand-label(@new, .),
      f:preferred-name($scribe),
      replace(normalize-space(@scribe), '^.*#', ''),
      normalize-space(@medium))[normalize-space()][1]"/>
    <span class="tei-handShift hand-shift" data-pagefind-ignore="">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
      <xsl:if test="normalize-space($note)"><xsl:attribute name="title" select="normalize-space($note)"/></xsl:if>
      <xsl:value-of select="if ($label) then concat('[', f:msg('hand.shift'), ' ', $label, ']') else concat('[', f:msg('hand.change'), ']')"/>
    </span>
    <xsl:if test="node()">
      <span class="tei-handShift-content">
        <xsl:call-template name="fp:lang-attributes"/>
        <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- Seals, stamps and signatures: set apart, labelled, with their hand. -->
  <xsl:template match="tei:stamp" mode="m:text">
    <span class="tei-stamp set-apart{if (@type) then concat(' type-', f:slug(@type)) else ''}">
      <span class="set-apart-label"><xsl:value-of select="f:msg(if (@type = 'seal') then 'set-apart.seal' else 'set-apart.stamp')"/></span>
      <xsl:text> </xsl:text>
      <span class="set-apart-body"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
    </span>
  </xsl:template>
  <xsl:template match="tei:signed" mode="m:text" priority="1">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="'tei-signed set-apart'"/>
      </xsl:call-template>
      <span class="set-apart-label"><xsl:value-of select="f:msg('set-apart.signed')"/><xsl:if test="@hand"><xsl:text>, </xsl:text><xsl:call-template name="fp:hand-ref"><xsl:with-param name="pointer" select="@hand"/></xsl:call-template></xsl:if></span>
      <xsl:text> </xsl:text>
      <span class="set-apart-body"><xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
    </xsl:element>
  </xsl:template>
  <xsl:template match="tei:closer/tei:roleName | tei:closer/tei:orgName" mode="m:text" priority="3">
    <span class="tei-{local-name()} closer-role"><xsl:next-match/></span>
  </xsl:template>

</xsl:stylesheet>
